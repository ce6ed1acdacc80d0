/**
 * A deterministic simulation of several gateway instances sharing one lease store, on a simulated
 * clock: the harness behind the limiter's accuracy and cost tests (and handy for tuning).
 *
 * Each instance handles its requests one at a time, as a Lambda execution environment does; requests
 * of all instances are replayed in time order against separate `RateLimiter`s. Leases resolve at once
 * (no store latency; `test/rate-limit-accuracy.test.ts` runs against a real emulator for that).
 */

import type { RateLimitPolicy } from '../../kernel/rate-limit-policy.ts';
import type { LeaseStore } from '../ports.ts';
import { RateLimiter, type RateLimiterOptions } from '../rate-limit/limiter.ts';
import type { RateLimitRule } from '../rate-limit/policy.ts';
import { burstOf, rateOf } from '../rate-limit/token-bucket.ts';
import { MemoryLeaseStore } from './memory-lease-store.ts';

/** A small seeded PRNG (mulberry32): the same seed gives the same arrivals. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Arrival times (ms) of a Poisson process of `perSecond` requests a second over [startMs, endMs). */
export function poissonArrivals(perSecond: number, startMs: number, endMs: number, random: () => number) {
  const times: number[] = [];
  if (perSecond <= 0) return times;
  for (let t = startMs - (Math.log(1 - random()) * 1000) / perSecond; t < endMs; ) {
    times.push(t);
    t -= (Math.log(1 - random()) * 1000) / perSecond;
  }
  return times;
}

/**
 * The token-bucket bound checked over EVERY interval: the largest excess, over all pairs of admissions
 * i ≤ j, of (j − i + 1) admissions over what rate × (t_j − t_i) + burst allows (≤ 0 when it holds).
 * One pass: count(i..j) − rate·(t_j − t_i) = (j − rate·t_j) − (i − 1 − rate·t_i).
 */
export function worstIntervalExcess(admittedAtMs: readonly number[], policy: RateLimitPolicy): number {
  const perMs = rateOf(policy) / 1000;
  let worst = Number.NEGATIVE_INFINITY;
  let lowest = Number.POSITIVE_INFINITY;
  const t0 = admittedAtMs[0] ?? 0; // relative times keep the products exact enough
  admittedAtMs.forEach((t, j) => {
    lowest = Math.min(lowest, j - 1 - perMs * (t - t0));
    worst = Math.max(worst, j - perMs * (t - t0) - lowest - burstOf(policy));
  });
  return admittedAtMs.length ? worst : 0;
}

/**
 * What a perfect token bucket admits of these arrivals (ms, sorted), starting full: the lower bound's
 * reference when demand does not always exceed the rate.
 */
export function idealAdmissions(arrivalsMs: readonly number[], policy: RateLimitPolicy): number {
  const perMs = rateOf(policy) / 1000;
  const burst = burstOf(policy);
  let tokens = burst;
  let last = arrivalsMs[0] ?? 0;
  let admitted = 0;
  for (const t of arrivalsMs) {
    tokens = Math.min(burst, tokens + (t - last) * perMs);
    last = t;
    if (tokens >= 1) {
      tokens -= 1;
      admitted++;
    }
  }
  return admitted;
}

export interface SimulationResult {
  offered: number;
  admitted: number;
  /** What a perfect token bucket admits of the measured arrivals (see `idealAdmissions`). */
  ideal: number;
  /** Admission times (ms), in order. */
  admittedAtMs: number[];
  /** `worstIntervalExcess` of the admissions. */
  worstExcess: number;
  storeWrites: number;
  storeCalls: number;
  storeFailures: number;
  expiredUnits: number;
  writesPerRequest: number;
  writesPerAdmitted: number;
  limiters: RateLimiter[];
}

export async function simulate(options: {
  policy: RateLimitPolicy;
  /** Per instance, its requests' arrival times (ms). */
  arrivals: number[][];
  store?: LeaseStore;
  limiter?: Omit<RateLimiterOptions, 'store'>;
  key?: string;
  /** Count only requests from this time on (steady state after a warm-up). */
  measureFromMs?: number;
}): Promise<SimulationResult> {
  const store = options.store ?? new MemoryLeaseStore();
  const limiters = options.arrivals.map(() => new RateLimiter({ store, ...options.limiter }));
  const rules: RateLimitRule[] = [{ name: 'app', key: options.key ?? 'app#sim', policy: options.policy }];
  const events: [number, number][] = options.arrivals.flatMap((times, i) =>
    times.map((t) => [t, i] as [number, number]),
  );
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const sum = (f: (l: RateLimiter) => number) => limiters.reduce((s, l) => s + f(l), 0);
  const from = options.measureFromMs ?? Number.NEGATIVE_INFINITY;
  const admittedAtMs: number[] = [];
  const measured: number[] = [];
  let writesBefore = 0;
  let callsBefore = 0;
  let measuring = false;
  for (const [t, i] of events) {
    if (t < from) {
      await limiters[i]!.check(rules, t);
      continue;
    }
    if (!measuring) {
      measuring = true;
      writesBefore = sum((l) => l.stats.storeWrites);
      callsBefore = sum((l) => l.stats.storeCalls);
    }
    measured.push(t);
    if ((await limiters[i]!.check(rules, t)).allowed) admittedAtMs.push(t);
  }
  const storeWrites = sum((l) => l.stats.storeWrites) - writesBefore;
  const offered = measured.length;
  const admitted = admittedAtMs.length;
  return {
    offered,
    admitted,
    ideal: idealAdmissions(measured, options.policy),
    admittedAtMs,
    worstExcess: worstIntervalExcess(admittedAtMs, options.policy),
    storeWrites,
    storeCalls: sum((l) => l.stats.storeCalls) - callsBefore,
    storeFailures: sum((l) => l.stats.storeFailures),
    expiredUnits: sum((l) => l.stats.expiredUnits),
    writesPerRequest: storeWrites / Math.max(1, offered),
    writesPerAdmitted: storeWrites / Math.max(1, admitted),
    limiters,
  };
}
