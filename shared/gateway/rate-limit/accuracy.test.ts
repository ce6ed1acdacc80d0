import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RateLimitPolicy } from '../../kernel/rate-limit-policy.ts';
import { poissonArrivals, seededRandom, simulate } from '../testing/rate-limit-simulation.ts';
import { burstOf, rateOf } from './token-bucket.ts';

/**
 * Accuracy and cost of the limiter across 8 instances sharing one store, on a simulated clock. The
 * acceptance property: over EVERY interval of any length T in a run of 8 instances at 3× load,
 * admitted ≤ rate × T + burst (exactly: the simulation checks all pairs of admissions), and over the
 * run, from a full bucket, admitted ≥ 95 % of rate × T + burst.
 */
const INSTANCES = 8;
const EPOCH = 1_700_000_000_000;

function scenario(o: {
  policy: RateLimitPolicy;
  /** Offered load as a multiple of the rate. */
  factor: number;
  seconds: number;
  seed: number;
  /** Per-instance shares of the load (uneven load balancing); equal by default. */
  weights?: number[];
  /** Shares from the middle of the run on (traffic moving between instances). */
  laterWeights?: number[];
  warmupSeconds?: number;
}) {
  const start = EPOCH;
  const end = EPOCH + (o.seconds + (o.warmupSeconds ?? 0)) * 1000;
  const random = seededRandom(o.seed);
  const rate = o.factor * rateOf(o.policy);
  const share = (weights: number[] | undefined, i: number) =>
    weights ? weights[i]! / weights.reduce((a, b) => a + b, 0) : 1 / INSTANCES;
  const middle = o.laterWeights ? start + (end - start) / 2 : end;
  const arrivals = Array.from({ length: INSTANCES }, (_, i) => [
    ...poissonArrivals(rate * share(o.weights, i), start, middle, random),
    ...poissonArrivals(rate * share(o.laterWeights ?? o.weights, i), middle, end, random),
  ]);
  return simulate({
    policy: o.policy,
    arrivals,
    measureFromMs: o.warmupSeconds ? EPOCH + o.warmupSeconds * 1000 : undefined,
  });
}

/** The bound holds exactly; times are compared in whole µs, so allow what a µs is worth at these rates. */
const EXACT = 0.001;

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const bucketBound = (policy: RateLimitPolicy, seconds: number) => rateOf(policy) * seconds + burstOf(policy);

describe('8 instances offering 3× the rate (acceptance)', () => {
  const cases: RateLimitPolicy[] = [
    { limit: 50, windowSeconds: 1 },
    { limit: 100, windowSeconds: 1 },
    { limit: 1000, windowSeconds: 1 },
    { limit: 1000, windowSeconds: 1, burst: 100 },
    { limit: 100, windowSeconds: 1, burst: 10 },
    { limit: 500, windowSeconds: 10 },
    { limit: 1000, windowSeconds: 60 },
  ];
  for (const policy of cases) {
    const seconds = 20 * policy.windowSeconds;
    it(`admit ≤ rate × T + burst over every interval, ≥ 95 % of it over ${seconds} s: ${JSON.stringify(policy)}`, async () => {
      const r = await scenario({ policy, factor: 3, seconds, seed: policy.limit + policy.windowSeconds });
      const bound = bucketBound(policy, seconds);
      const figures = `admitted ${r.admitted} of ${r.offered} offered; rate × T + burst = ${bound} (${pct(r.admitted / bound)}); worst interval ${r.worstExcess.toFixed(2)} under its bound; ${r.writesPerRequest.toFixed(4)} writes/request; ${r.expiredUnits} leased units expired`;
      console.log(`[rate-limit] 3x, ${JSON.stringify(policy)}, 8 instances: ${figures}`);
      expect(r.worstExcess, figures).toBeLessThanOrEqual(EXACT);
      expect(r.admitted / bound, figures).toBeGreaterThanOrEqual(0.95);
    });
  }

  it('holds for random policies, loads, uneven and shifting instance shares (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          limit: fc.integer({ min: 20, max: 1000 }),
          windowSeconds: fc.constantFrom(1, 2, 5, 10),
          burstFactor: fc.option(fc.double({ min: 0.2, max: 3, noNaN: true }), { nil: undefined }),
          factor: fc.double({ min: 2, max: 4, noNaN: true }),
          weights: fc.array(fc.double({ min: 0.3, max: 1, noNaN: true }), {
            minLength: INSTANCES,
            maxLength: INSTANCES,
          }),
          laterWeights: fc.option(
            fc.array(fc.double({ min: 0.3, max: 1, noNaN: true }), {
              minLength: INSTANCES,
              maxLength: INSTANCES,
            }),
            { nil: undefined },
          ),
          seed: fc.integer(),
        }),
        async (p) => {
          const policy: RateLimitPolicy = { limit: p.limit, windowSeconds: p.windowSeconds };
          if (p.burstFactor) policy.burst = Math.max(1, Math.round(p.limit * p.burstFactor));
          const r = await scenario({ ...p, policy, seconds: 20 * p.windowSeconds });
          const ratio = r.admitted / r.ideal;
          const figures = `${JSON.stringify({ ...policy, factor: p.factor, seed: p.seed })}: admitted ${r.admitted}, a perfect bucket ${r.ideal} (${pct(ratio)}), worst interval ${r.worstExcess.toFixed(2)}`;
          expect(r.worstExcess, figures).toBeLessThanOrEqual(EXACT);
          expect(ratio, figures).toBeGreaterThanOrEqual(0.95);
        },
      ),
      // RL_RUNS=500 for a longer search.
      { numRuns: Number(process.env.RL_RUNS ?? 30) },
    );
  }, 90_000);
});

describe('near and below the rate', () => {
  for (const policy of [
    { limit: 100, windowSeconds: 10 },
    { limit: 1000, windowSeconds: 1 },
  ]) {
    it(`admits what a perfect bucket would, within 5 %, when ${JSON.stringify(policy)} is offered at 1× and 0.8×`, async () => {
      for (const factor of [1, 0.8]) {
        const r = await scenario({ policy, factor, seconds: 10 * policy.windowSeconds, seed: 7 });
        const ratio = r.admitted / r.ideal;
        const figures = `${factor}x: admitted ${r.admitted} of ${r.offered}, a perfect bucket ${r.ideal} (${pct(ratio)}), ${r.writesPerRequest.toFixed(4)} writes/request`;
        console.log(`[rate-limit] ${JSON.stringify(policy)}, 8 instances, ${figures}`);
        expect(r.worstExcess, figures).toBeLessThanOrEqual(EXACT);
        expect(ratio, figures).toBeGreaterThanOrEqual(0.95);
      }
    });
  }
});

describe('store writes in a steady state', () => {
  it('stay under 0.05 per request at 1,000 requests/s on one key spread over 8 instances', async () => {
    const rows: string[] = [];
    for (const limit of [333, 1000, 1250, 2000, 10_000]) {
      const policy = { limit, windowSeconds: 1 };
      const r = await scenario({ policy, factor: 1000 / limit, seconds: 20, warmupSeconds: 5, seed: limit });
      const figures = `limit ${limit}/s: ${r.storeWrites} writes for ${r.offered} requests = ${r.writesPerRequest.toFixed(4)} writes/request (${r.writesPerAdmitted.toFixed(4)} per admitted; ${r.admitted} admitted, a perfect bucket ${r.ideal})`;
      rows.push(figures);
      expect(r.writesPerRequest, figures).toBeLessThan(0.05);
    }
    console.log(`[rate-limit] 1,000 requests/s, 8 instances, after 5 s of warm-up:\n  ${rows.join('\n  ')}`);
  });

  it('refused requests cost no write once an instance knows the bucket is empty', async () => {
    const policy = { limit: 100, windowSeconds: 1 };
    const at3x = await scenario({ policy, factor: 3, seconds: 10, seed: 3 });
    const at20x = await scenario({ policy, factor: 20, seconds: 10, seed: 3 });
    const figures = `writes a second: ${at3x.storeWrites / 10} offering 3×, ${at20x.storeWrites / 10} offering 20×`;
    console.log(`[rate-limit] 100/1s, 8 instances, ${figures}`);
    expect(at20x.admitted).toBeGreaterThanOrEqual(0.95 * bucketBound(policy, 10));
    expect(at20x.storeWrites, figures).toBeLessThan(at3x.storeWrites * 1.25);
  });
});
