import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BucketCounts,
  bucketKey,
  exactPercentile,
  mergeBuckets,
  percentile,
  RELATIVE_ACCURACY,
} from './latency-sketch.ts';

const sketch = (latencies: readonly number[]): BucketCounts => {
  const buckets: BucketCounts = {};
  for (const ms of latencies) mergeBuckets(buckets, { [bucketKey(ms)]: 1 });
  return buckets;
};
// Latencies of a microsecond or less read as 0.
const within = (estimate: number, exact: number) =>
  Math.abs(estimate - exact) <= (exact <= 1e-3 ? 1e-3 : RELATIVE_ACCURACY * exact);

describe('latency sketch', () => {
  it('reads every percentile within 1 % of the exact one, for any latencies', () => {
    const latency = fc.oneof(
      fc.constant(0),
      fc.integer({ min: 0, max: 60_000 }),
      fc.double({ min: 0, max: 60_000, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.array(latency, { minLength: 1, maxLength: 500 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (latencies, p) => {
          const estimate = percentile(sketch(latencies), p)!;
          const exact = exactPercentile(latencies, p)!;
          expect(within(estimate, exact), `p=${p}: ${estimate} against ${exact}`).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives the same buckets whether calls are merged minute by minute or counted at once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: 0, max: 30_000, noNaN: true }), { maxLength: 50 }), {
          maxLength: 10,
        }),
        (minutes) => {
          const merged = minutes.map(sketch).reduce((into, from) => mergeBuckets(into, from), {});
          expect(merged).toEqual(sketch(minutes.flat()));
        },
      ),
    );
  });

  it('reads the usual percentiles of a long-tailed sample within 1 %', () => {
    const latencies = Array.from({ length: 10_000 }, (_, i) => 2 + ((i * 7919) % 1000) ** 2 / 1000);
    const buckets = sketch(latencies);
    for (const p of [0.5, 0.95, 0.99, 0.999]) {
      expect(within(percentile(buckets, p)!, exactPercentile(latencies, p)!)).toBe(true);
    }
    // A wide range stays a few hundred buckets.
    expect(Object.keys(buckets).length).toBeLessThan(700);
  });

  it('holds 0 ms apart and has nothing to say about no calls', () => {
    expect(percentile({}, 0.5)).toBeUndefined();
    expect(percentile(sketch([0, 0, 0, 5]), 0.5)).toBe(0);
    expect(bucketKey(-1)).toBe('z');
    expect(bucketKey(Number.NaN)).toBe('z');
  });
});
