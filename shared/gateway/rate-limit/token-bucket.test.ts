import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  availableAtUs,
  burstOf,
  continuesFrom,
  costUs,
  grantable,
  holdUs,
  leaseStartUs,
  predictsContinue,
  toleranceUs,
} from './token-bucket.ts';

const perSecond = (limit: number, burst?: number) => ({
  limit,
  windowSeconds: 1,
  ...(burst ? { burst } : {}),
});
const NOW = 1_700_000_000_000_000;

describe('token-bucket arithmetic', () => {
  it('costs whole µs, rounded up, and defaults the burst to the limit', () => {
    expect(costUs(perSecond(3), 1)).toBe(333_334);
    expect(costUs(perSecond(3), 3)).toBe(1_000_000);
    expect(costUs({ limit: 1000, windowSeconds: 60 }, 2)).toBe(120_000);
    expect(burstOf(perSecond(5))).toBe(5);
    expect(burstOf(perSecond(5, 9))).toBe(9);
  });

  it('holds units a quarter of the burst time at most, 250 ms by default, nothing for a burst of 1', () => {
    expect(holdUs(perSecond(1000))).toBe(250_000);
    expect(holdUs(perSecond(100, 20))).toBe(50_000); // 20 units = 200 ms of refill
    expect(holdUs(perSecond(10, 1))).toBe(0);
    expect(holdUs(perSecond(1000), 100)).toBe(100_000);
    expect(toleranceUs(perSecond(1000), 250_000)).toBe(750_000);
  });

  it('grants from a full bucket the burst less what the hold costs, then the refill', () => {
    const p = perSecond(100); // I = 10 ms, burst 100, hold 250 ms: 75 at once
    const hold = holdUs(p);
    expect(grantable(p, undefined, NOW, hold, 1000)).toBe(75);
    expect(grantable(p, NOW + 750_000, NOW, hold, 1000)).toBe(0);
    expect(grantable(p, NOW + 750_000, NOW + 35_000, hold, 1000)).toBe(3);
    expect(availableAtUs(p, NOW + 750_000, hold, 3)).toBe(NOW + 30_000);
  });

  it('continues a bucket whose tat is less than half a hold behind, restarts it otherwise', () => {
    expect(continuesFrom(NOW - 100, NOW, 1000)).toBe(true);
    expect(continuesFrom(NOW - 501, NOW, 1000)).toBe(false);
    expect(leaseStartUs(NOW - 100, NOW, 1000)).toBe(NOW - 100);
    expect(leaseStartUs(NOW - 501, NOW, 1000)).toBe(NOW);
    expect(leaseStartUs(undefined, NOW, 1000)).toBe(NOW);
    expect(predictsContinue(NOW - 999_999, NOW)).toBe(true);
    expect(predictsContinue(NOW - 1_000_001, NOW)).toBe(false);
  });

  it('never lets a lease move the bucket past now + tolerance (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom(1, 2, 60, 3600, 86_400),
        fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: undefined }),
        fc.option(fc.integer({ min: -5_000_000, max: 90_000_000_000 }), { nil: undefined }),
        fc.integer({ min: 0, max: 2_000_000 }),
        (limit, windowSeconds, burst, tatOffset, want) => {
          const policy = { limit, windowSeconds, ...(burst ? { burst } : {}) };
          // A bucket whose burst takes centuries to refill puts its times in µs beyond 2^53, where
          // doubles no longer hold whole numbers: not a policy anyone sets.
          fc.pre(((burst ?? limit) * windowSeconds) / limit <= 10 * 365 * 86_400);
          const hold = holdUs(policy);
          const tat = tatOffset === undefined ? undefined : NOW + tatOffset;
          const n = grantable(policy, tat, NOW, hold, want);
          expect(n).toBeGreaterThanOrEqual(0);
          expect(n).toBeLessThanOrEqual(want);
          if (n > 0)
            expect(leaseStartUs(tat, NOW, hold) + costUs(policy, n)).toBeLessThanOrEqual(
              NOW + toleranceUs(policy, hold),
            );
          // And the next unit would not fit: the grant is the most that does.
          if (n < want)
            expect(leaseStartUs(tat, NOW, hold) + costUs(policy, n + 1)).toBeGreaterThan(
              NOW + toleranceUs(policy, hold),
            );
        },
      ),
      { numRuns: 2000 },
    );
  });
});
