import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outcomeOfStatus } from './attempt-outcome.ts';
import { endpointHealthAfter, matchesFilter, validatePayloadFilter } from './subscription.ts';

const DAY = 86_400_000;
const T0 = 1_796_000_000_000;

describe('payload filters', () => {
  const order = { status: 'paid', total: 42, customer: { tier: 'gold', id: 'c1' }, tags: ['a'] };

  it('match dotted paths by strict equality or one of a list', () => {
    expect(matchesFilter(undefined, order)).toBe(true);
    expect(matchesFilter({ status: 'paid' }, order)).toBe(true);
    expect(matchesFilter({ status: ['shipped', 'paid'], 'customer.tier': 'gold' }, order)).toBe(true);
    expect(matchesFilter({ total: '42' }, order)).toBe(false);
    expect(matchesFilter({ 'customer.tier': 'silver' }, order)).toBe(false);
    expect(matchesFilter({ missing: null }, order)).toBe(false);
    expect(matchesFilter({ 'tags.0': 'a' }, order)).toBe(false); // paths do not index arrays
    expect(matchesFilter({ 'toString.name': 'toString' }, order)).toBe(false); // own members only
    expect(matchesFilter({ status: 'paid' }, 'not an object')).toBe(false);
  });

  it('refuse what cannot be matched', () => {
    expect(validatePayloadFilter({ status: 'paid', 'a.b': [1, 2] })).toEqual({
      status: 'paid',
      'a.b': [1, 2],
    });
    for (const bad of [
      {},
      { '': 'x' },
      { 'a..b': 1 },
      { 'a.b.c.d.e.f': 1 },
      { status: { $ne: 'paid' } },
      { status: [] },
      { status: [[1]] },
      Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i])),
      [],
      'status=paid',
    ]) {
      expect(() => validatePayloadFilter(bad), JSON.stringify(bad)).toThrow(
        expect.objectContaining({ code: 'validation-failed' }),
      );
    }
  });
});

describe('endpoint health', () => {
  it('warns a day before disabling an endpoint that failed without a break for five days', () => {
    const failed = outcomeOfStatus(500);
    let health = {};
    const effects: string[] = [];
    for (let t = T0; t <= T0 + 5 * DAY; t += DAY / 4) {
      const next = endpointHealthAfter(health, failed, t);
      health = next.health;
      effects.push(...next.effects.map((e) => `${e}@${(t - T0) / DAY}`));
    }
    expect(effects).toEqual(['warn-disable@4', 'disable@5']);
  });

  it('forgets every failure after one success', () => {
    const a = endpointHealthAfter({}, outcomeOfStatus(500), T0);
    expect(a.health).toEqual({ failingSince: T0 });
    expect(endpointHealthAfter(a.health, outcomeOfStatus(200), T0 + DAY).health).toEqual({});
  });

  it('never disables before the policy says, whatever the pattern of outcomes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(DAY)), { maxLength: 60 }), (steps) => {
        let health = {};
        let t = T0;
        let firstFailureSinceSuccess: number | undefined;
        for (const [ok, gap] of steps) {
          t += gap;
          const { health: h, effects } = endpointHealthAfter(health, outcomeOfStatus(ok ? 200 : 500), t);
          health = h;
          if (ok) {
            firstFailureSinceSuccess = undefined;
          } else firstFailureSinceSuccess ??= t;
          if (effects.includes('disable'))
            expect(t - firstFailureSinceSuccess!).toBeGreaterThanOrEqual(5 * DAY);
        }
      }),
    );
  });
});
