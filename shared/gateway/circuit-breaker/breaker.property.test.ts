import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BreakerState, CircuitBreaker, type Permit, type TransitionEvent } from './breaker.ts';
import type { BreakerSettings } from './settings.ts';

const settingsArb: fc.Arbitrary<BreakerSettings> = fc
  .record({
    bucketMs: fc.constantFrom(100, 250, 1_000),
    buckets: fc.integer({ min: 1, max: 10 }),
    minimumCalls: fc.integer({ min: 1, max: 6 }),
    failureRateThreshold: fc.integer({ min: 1, max: 100 }),
    slowCallDurationMs: fc.integer({ min: 1, max: 1_000 }),
    slowCallRateThreshold: fc.integer({ min: 1, max: 100 }),
    consecutiveFailures: fc.integer({ min: 0, max: 4 }),
    openBaseMs: fc.integer({ min: 100, max: 2_000 }),
    openFactor: fc.integer({ min: 1, max: 16 }),
    backoffResetMs: fc.integer({ min: 0, max: 10_000 }),
    halfOpenProbes: fc.integer({ min: 1, max: 6 }),
    halfOpenTimeoutMs: fc.integer({ min: 100, max: 3_000 }),
  })
  .map(({ bucketMs, buckets, openFactor, ...rest }) => ({
    ...rest,
    bucketMs,
    windowMs: Math.max(1_000, bucketMs * buckets * 4),
    openMaxMs: rest.openBaseMs * openFactor,
  }));

type Step =
  | { kind: 'acquire'; dt: number; count: number }
  | { kind: 'success'; dt: number; pick: number; durationMs: number }
  | { kind: 'failure'; dt: number; pick: number }
  | { kind: 'cancel'; dt: number; pick: number }
  | { kind: 'tick'; dt: number }
  | {
      kind: 'merge';
      dt: number;
      state: BreakerState;
      version: number;
      episode: string;
      openFor: number;
      level: number;
    };

const dt = fc.integer({ min: 0, max: 1_500 });
const stepArb = (withCancel: boolean): fc.Arbitrary<Step> =>
  fc.oneof(
    {
      arbitrary: fc.record({
        kind: fc.constant('acquire' as const),
        dt,
        count: fc.integer({ min: 1, max: 40 }),
      }),
      weight: 4,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('success' as const),
        dt,
        pick: fc.nat(),
        durationMs: fc.integer({ min: 0, max: 2_000 }),
      }),
      weight: 3,
    },
    { arbitrary: fc.record({ kind: fc.constant('failure' as const), dt, pick: fc.nat() }), weight: 3 },
    {
      arbitrary: fc.record({
        kind: fc.constant(withCancel ? ('cancel' as const) : ('failure' as const)),
        dt,
        pick: fc.nat(),
      }),
      weight: 1,
    },
    {
      arbitrary: fc.record({ kind: fc.constant('tick' as const), dt: fc.integer({ min: 0, max: 20_000 }) }),
      weight: 1,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('merge' as const),
        dt,
        state: fc.constantFrom<BreakerState>('closed', 'open', 'half-open'),
        version: fc.nat({ max: 60 }),
        episode: fc.constantFrom('r:1', 'r:2', 'r:3'),
        openFor: fc.integer({ min: -3_000, max: 10_000 }),
        level: fc.nat({ max: 8 }),
      }),
      weight: 1,
    },
  );

interface Issued {
  permit: Permit;
  episode: number;
  cancelled: boolean;
}

/**
 * Runs random steps against one breaker and checks, after every step:
 * - calls that reached the upstream while half-open (probes not cancelled) ≤ halfOpenProbes per episode,
 *   and without cancellations, permits handed out while half-open ≤ halfOpenProbes per episode;
 * - a half-open episode is always decided within halfOpenTimeoutMs × halfOpenProbes of its start;
 * - only a closed breaker hands out plain calls; transitions chain (from = previous to) in time order.
 */
function run(settings: BreakerSettings, steps: Step[], withCancel: boolean): void {
  const budget = settings.halfOpenProbes;
  const bound = settings.halfOpenTimeoutMs * settings.halfOpenProbes;
  let now = 0;
  let state: BreakerState = 'closed';
  let lastAt = Number.NEGATIVE_INFINITY;
  let halfOpenSince = 0;
  let episode = -1;
  const permitsPerEpisode: number[] = [];
  const issued: Issued[] = [];

  const onTransition = (event: TransitionEvent) => {
    expect(event.from).toBe(state);
    expect(event.to).not.toBe(event.from);
    expect(event.at).toBeGreaterThanOrEqual(lastAt);
    if (event.from === 'half-open') expect(event.at - halfOpenSince).toBeLessThanOrEqual(bound);
    if (event.to === 'half-open') {
      halfOpenSince = event.at;
      episode += 1;
      permitsPerEpisode.push(0);
    }
    state = event.to;
    lastAt = event.at;
  };
  const breaker = new CircuitBreaker(settings, { instanceId: 'p', onTransition });

  const pick = (index: number): Issued | undefined => {
    const open = issued.filter((i) => !i.permit.settled);
    return open.length === 0 ? undefined : open[index % open.length];
  };

  for (const step of steps) {
    now += step.dt;
    switch (step.kind) {
      case 'acquire':
        for (let i = 0; i < step.count; i++) {
          const before = breaker.state(now);
          const result = breaker.tryAcquire(now);
          if (!result.permitted) continue;
          if (result.permit.kind === 'call') {
            expect(before).toBe('closed');
            issued.push({ permit: result.permit, episode: -1, cancelled: false });
          } else {
            expect(state).toBe('half-open');
            permitsPerEpisode[episode]! += 1;
            issued.push({ permit: result.permit, episode, cancelled: false });
          }
        }
        break;
      case 'success':
        pick(step.pick)?.permit.success(step.durationMs, now);
        break;
      case 'failure':
        pick(step.pick)?.permit.failure(now);
        break;
      case 'cancel': {
        const target = pick(step.pick);
        if (target) {
          target.cancelled = true;
          target.permit.cancel(now);
        }
        break;
      }
      case 'tick':
        break;
      case 'merge':
        breaker.merge(
          {
            state: step.state,
            version: step.version,
            episode: step.episode,
            openedAt: now - 100,
            openUntil: now + step.openFor,
            backoffLevel: step.level,
            closedAt: now,
          },
          now,
        );
        break;
    }
    if (breaker.state(now) === 'half-open') expect(now - halfOpenSince).toBeLessThan(bound);
    for (let e = 0; e <= episode; e++) {
      const made = issued.filter((i) => i.episode === e && !i.cancelled).length;
      expect(made).toBeLessThanOrEqual(budget);
      if (!withCancel) expect(permitsPerEpisode[e]).toBeLessThanOrEqual(budget);
    }
  }
  // Whatever happened, no episode is left undecided once its bound has passed.
  expect(breaker.state(now + bound)).not.toBe('half-open');
}

describe('CircuitBreaker — properties', () => {
  it('never permits more probes than the budget per half-open episode, and always decides in time', () => {
    fc.assert(
      fc.property(settingsArb, fc.array(stepArb(false), { maxLength: 200 }), (settings, steps) =>
        run(settings, steps, false),
      ),
      { numRuns: 300 },
    );
  });

  it('keeps the calls that reach the upstream within the budget when probes are cancelled', () => {
    fc.assert(
      fc.property(settingsArb, fc.array(stepArb(true), { maxLength: 200 }), (settings, steps) =>
        run(settings, steps, true),
      ),
      { numRuns: 300 },
    );
  });
});
