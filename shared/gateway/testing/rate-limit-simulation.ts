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
import { type RateLimitRule, windowAt } from '../rate-limit/policy.ts';
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

export interface WindowTally {
  windowId: number;
  offered: number;
  admitted: number;
}

export interface SimulationResult {
  offered: number;
  admitted: number;
  /** Σ over windows of min(limit, offered in the window): what a perfect limiter admits. */
  ideal: number;
  windows: WindowTally[];
  storeWrites: number;
  storeCalls: number;
  storeFailures: number;
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
  /** Count only requests from this time on, a window boundary (steady state after a warm-up). */
  measureFromMs?: number;
}): Promise<SimulationResult> {
  const store = options.store ?? new MemoryLeaseStore();
  const limiters = options.arrivals.map(() => new RateLimiter({ store, ...options.limiter }));
  const rules: RateLimitRule[] = [{ name: 'app', key: options.key ?? 'app#sim', policy: options.policy }];
  const events: [number, number][] = options.arrivals.flatMap((times, i) =>
    times.map((t) => [t, i] as [number, number]),
  );
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const windows = new Map<number, WindowTally>();
  const sum = (f: (l: RateLimiter) => number) => limiters.reduce((s, l) => s + f(l), 0);
  const from = options.measureFromMs ?? Number.NEGATIVE_INFINITY;
  let admitted = 0;
  let offered = 0;
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
    offered++;
    const id = windowAt(options.policy, t).id;
    const tally = windows.get(id) ?? { windowId: id, offered: 0, admitted: 0 };
    windows.set(id, tally);
    tally.offered++;
    const decision = await limiters[i]!.check(rules, t);
    if (decision.allowed) {
      tally.admitted++;
      admitted++;
    }
  }
  const storeWrites = sum((l) => l.stats.storeWrites) - writesBefore;
  const list = [...windows.values()].sort((a, b) => a.windowId - b.windowId);
  return {
    offered,
    admitted,
    ideal: list.reduce((s, w) => s + Math.min(options.policy.limit, w.offered), 0),
    windows: list,
    storeWrites,
    storeCalls: sum((l) => l.stats.storeCalls) - callsBefore,
    storeFailures: sum((l) => l.stats.storeFailures),
    writesPerRequest: storeWrites / Math.max(1, offered),
    writesPerAdmitted: storeWrites / Math.max(1, admitted),
    limiters,
  };
}
