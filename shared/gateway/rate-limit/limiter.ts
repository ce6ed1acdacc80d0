/**
 * Distributed rate limiter with batched leases.
 *
 * WHAT IS COUNTED. Each rule is "at most `limit` requests per fixed, epoch-aligned window" on one key
 * (`policy.ts`). Every instance derives the same window id from its own clock; the shared budget of a
 * key in a window lives in the `LeaseStore` (DynamoDB: one item per key and window), whose single atomic
 * operation hands out units and never more than the limit in total, however many instances ask at
 * once. So the global upper bound is exact, not "eventually synced" like Kong's (+10 %) or APISIX's
 * (+18 %) counters. Fixed windows rather than a token bucket or GCRA: the bound then costs one
 * conditional `ADD` per lease and no read, and a lease is a plain number of units. Their known price is
 * the burst at a boundary (up to 2 × limit within one window length straddling it). (GCRA fits one
 * conditional update too, with `SET tat = :now + n·T` or `ADD tat :nT` branches, but needs the current
 * `tat` to pick the branch, so every conflict costs a retry.)
 *
 * LEASES. An instance (one per Lambda execution environment) keeps, per key, a local allowance leased
 * from the store in batches; a request that finds allowance is decided in memory, with no I/O. A lease
 * is valid only in its window; a new window starts with no allowance. The size asked for is
 *
 *     want = max(1, min(1 + round(rate × min(time left in window, horizon)),
 *                       floor((limit − used) × share × fairShareFraction)))
 *
 * - demand: `rate` is this instance's request rate on the key, an exponentially decayed count (time
 *   constant a quarter of the window, 0.25–10 s) that excludes the request being decided. A cold or
 *   sparse key leases 1 unit at a time; a steady one asks for what it will use before the window ends,
 *   about one write per window, and never for more than it is expected to use in time;
 * - fair share: `used` is the window's total as the store last reported it, `share` this instance's
 *   part of the previous window's grants (1 when unknown). An instance takes at most half of its share
 *   of what is left, so when the budget runs short the last leases shrink geometrically down to 1 unit
 *   and few units are left stranded in instances that will not use them. The first leases of a window
 *   (with `used` not yet known) hand out about half of the budget together, not all of it.
 * Allowance is never given back (a frozen Lambda cannot), so the lower bound rests on those two caps.
 * When the store has nothing left, the instance marks the key drained and refuses without I/O until
 * the window ends: refused requests cost no write.
 *
 * SEVERAL DIMENSIONS. A request consumes one unit from every rule that applies, or from none: the
 * limiter first makes sure every rule has local allowance (leasing where needed, in parallel), then
 * takes one unit from each in one synchronous step. If any rule is exhausted nothing is taken, so the
 * dimensions that had room lose nothing; units just leased for them stay in the local allowance for
 * the next request (stranded only if no request for that key comes before the window ends). A rule
 * already known to be drained refuses before anything is leased for the others.
 *
 * FAILURES. A store error or timeout fails open: the request is allowed on that rule, the failure is
 * counted (`stats.storeFailures`) and reported to `onStoreFailure` (log it, emit a metric), and the rule
 * is not tried again for `failOpenMs`, so an outage neither adds latency to every call nor floods the
 * store. Other rules still apply. Until a lease succeeds again, the rule's retries run in the background
 * while requests pass: only the first request to meet a failing store waits (`storeTimeoutMs` at most).
 *
 * COST. `stats.storeWrites` counts every conditional write (failed ones too: DynamoDB bills them), so
 * writes per request can be measured (`limiter.test.ts`, `accuracy.test.ts`,
 * `test/rate-limit-accuracy.test.ts`).
 */

import type { RateLimitPolicy } from '../../kernel/rate-limit-policy.ts';
import type { LeaseGrant, LeaseStore } from '../ports.ts';
import { policyField, rateLimitField, type ServiceLimitItem } from './headers.ts';
import { type RateLimitRule, windowAt } from './policy.ts';

export interface RateLimiterOptions {
  store: LeaseStore;
  clock?: () => number;
  /** A lease takes at most this fraction of the instance's share of what is left. Default 0.5. */
  fairShareFraction?: number;
  /** Extra units asked for beyond expected demand d, as a multiple of √d. Default 0 (fewer writes when > 0, more stranding). */
  margin?: number;
  /** Longest stretch of expected demand a lease covers, as a fraction of the window. Default 1 (rest of window). */
  horizon?: number;
  /** Upper bound of one lease. Default 10,000. */
  maxLease?: number;
  /** After a store failure, the rule is allowed without asking the store for this long. Default 1,000 ms. */
  failOpenMs?: number;
  /** A store call slower than this fails open (the grant still counts if it arrives). Default 1,000 ms. */
  storeTimeoutMs?: number;
  /** Counters kept in memory (one per key and window length); the oldest are dropped beyond. Default 10,000. */
  maxKeys?: number;
  onStoreFailure?: (error: unknown, key: string) => void;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** When refused: until the exhausted window(s) end. */
  retryAfterMs?: number;
  /** When refused: the names of the exhausted rules (the problem type's `violated-policies`). */
  violated: string[];
  /** True when a store failure let the request through on at least one rule. */
  failedOpen: boolean;
  /** `RateLimit-Policy`, `RateLimit`, and `Retry-After` (seconds) when refused; empty without rules. */
  headers: Record<string, string>;
}

export interface RateLimiterStats {
  checks: number;
  allowed: number;
  refused: number;
  storeCalls: number;
  storeWrites: number;
  storeReads: number;
  storeFailures: number;
  /** Requests let through on a rule because its store was failing. */
  failOpenAdmissions: number;
  leasedUnits: number;
}

interface Counter {
  key: string;
  policy: RateLimitPolicy;
  windowId: number;
  windowEndMs: number;
  /** Units leased for `windowId` and not used yet. */
  allowance: number;
  /** The store had nothing left for `windowId`. */
  drained: boolean;
  /** The window's total as the store last reported it. */
  knownUsed: number;
  failOpenUntil: number;
  /** The last lease failed: the next ones are tried in the background, no request waits on them. */
  failing: boolean;
  inflight: Promise<void> | undefined;
  /** Decayed request count (demand estimate) and when it was last decayed. */
  score: number;
  scoredAt: number;
  /** Units granted to this instance in `windowId`, and that as a fraction of the window's total (once known). */
  granted: number;
  share: number | undefined;
  /** `share` at the end of the previous window (1 when unknown): caps leases in this one. */
  prevShare: number;
}

/** Rounds of leases granting nothing (while the store says units are left) before failing open. */
const MAX_IDLE_ROUNDS = 8;

class StoreTimeoutError extends Error {
  override name = 'StoreTimeoutError';
}

export class RateLimiter {
  readonly stats: RateLimiterStats = {
    checks: 0,
    allowed: 0,
    refused: 0,
    storeCalls: 0,
    storeWrites: 0,
    storeReads: 0,
    storeFailures: 0,
    failOpenAdmissions: 0,
    leasedUnits: 0,
  };
  private readonly counters = new Map<string, Counter>();
  private readonly store: LeaseStore;
  private readonly clock: () => number;
  private readonly fairShareFraction: number;
  private readonly margin: number;
  private readonly horizon: number;
  private readonly maxLease: number;
  private readonly failOpenMs: number;
  private readonly storeTimeoutMs: number;
  private readonly maxKeys: number;
  private readonly onStoreFailure: (error: unknown, key: string) => void;

  constructor(options: RateLimiterOptions) {
    this.store = options.store;
    this.clock = options.clock ?? Date.now;
    this.fairShareFraction = options.fairShareFraction ?? 0.5;
    this.margin = options.margin ?? 0;
    this.horizon = options.horizon ?? 1;
    this.maxLease = options.maxLease ?? 10_000;
    this.failOpenMs = options.failOpenMs ?? 1_000;
    this.storeTimeoutMs = options.storeTimeoutMs ?? 1_000;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.onStoreFailure = options.onStoreFailure ?? (() => {});
  }

  /** How many counters (key × window length) this instance holds in memory. */
  get trackedKeys(): number {
    return this.counters.size;
  }

  /** Decides one request against every rule that applies to it, consuming one unit of each if allowed. */
  async check(rules: RateLimitRule[], now: number = this.clock()): Promise<RateLimitDecision> {
    this.stats.checks++;
    const counters = rules.map((rule) => this.counter(rule, now));
    const distinct = [...new Set(counters)]; // two rules on one key and window count once
    for (const c of distinct) this.observe(c, now);
    for (const c of distinct)
      if (c.failing && c.failOpenUntil <= now && c.allowance < 1) void this.lease(c, now);
    for (let idle = 0; ; ) {
      const open = (c: Counter) => c.failOpenUntil > now || c.failing;
      const exhausted = distinct.filter((c) => c.allowance < 1 && c.drained && !open(c));
      if (exhausted.length) return this.refuse(rules, counters, exhausted, now);
      const missing = distinct.filter((c) => c.allowance < 1 && !open(c));
      if (missing.length === 0) break;
      if (idle >= MAX_IDLE_ROUNDS) {
        // The store keeps granting nothing while saying units are left: treat it as failing.
        for (const c of missing) this.fail(c, new Error('the store granted nothing, repeatedly'), now);
        continue;
      }
      const leased = this.stats.leasedUnits;
      await Promise.all(missing.map((c) => this.lease(c, now)));
      // Units leased (even if a concurrent check took them) are progress; only empty rounds count.
      idle = this.stats.leasedUnits > leased ? 0 : idle + 1;
    }
    // Every rule has allowance (or is failing open): take one unit from each, in one synchronous step.
    let failedOpen = false;
    for (const c of distinct) {
      if (c.allowance >= 1) c.allowance -= 1;
      else failedOpen = true;
    }
    this.stats.allowed++;
    if (failedOpen) this.stats.failOpenAdmissions++;
    return {
      allowed: true,
      violated: [],
      failedOpen,
      headers: this.headers(rules, counters, now),
    };
  }

  private refuse(rules: RateLimitRule[], counters: Counter[], exhausted: Counter[], now: number) {
    this.stats.refused++;
    const retryAfterMs = Math.max(...exhausted.map((c) => c.windowEndMs - now));
    const violated = rules.filter((_, i) => exhausted.includes(counters[i]!)).map((r) => r.name);
    const headers = this.headers(rules, counters, now);
    headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
    return { allowed: false, retryAfterMs, violated, failedOpen: false, headers } satisfies RateLimitDecision;
  }

  private headers(rules: RateLimitRule[], counters: Counter[], now: number): Record<string, string> {
    if (rules.length === 0) return {};
    const limits: ServiceLimitItem[] = [];
    rules.forEach((rule, i) => {
      const c = counters[i]!;
      if ((c.failOpenUntil > now || c.failing) && c.allowance < 1) return; // unknown while the store fails
      const elsewhere = c.drained ? 0 : Math.max(0, c.policy.limit - c.knownUsed);
      limits.push({
        name: rule.name,
        remaining: Math.floor(c.allowance) + elsewhere,
        resetSeconds: Math.ceil((c.windowEndMs - now) / 1000),
      });
    });
    const headers: Record<string, string> = {
      'RateLimit-Policy': policyField(
        rules.map((r) => ({ name: r.name, quota: r.policy.limit, windowSeconds: r.policy.windowSeconds })),
      ),
    };
    if (limits.length) headers.RateLimit = rateLimitField(limits);
    return headers;
  }

  /** The counter of a rule, moved to the window of `now` (a new window starts with nothing leased). */
  private counter(rule: RateLimitRule, now: number): Counter {
    const id = `${rule.key}|${rule.policy.windowSeconds}`;
    let c = this.counters.get(id);
    const window = windowAt(rule.policy, now);
    if (!c) {
      if (this.counters.size >= this.maxKeys) this.evict(now);
      c = {
        key: rule.key,
        policy: rule.policy,
        windowId: window.id,
        windowEndMs: window.endMs,
        allowance: 0,
        drained: false,
        knownUsed: 0,
        failOpenUntil: 0,
        failing: false,
        inflight: undefined,
        score: 0,
        scoredAt: now,
        granted: 0,
        share: undefined,
        prevShare: 1,
      };
      this.counters.set(id, c);
    }
    c.policy = rule.policy; // a changed limit applies from the next lease on
    if (window.id > c.windowId) {
      c.prevShare = window.id === c.windowId + 1 && c.share !== undefined ? c.share : 1;
      c.granted = 0;
      c.share = undefined;
      c.windowId = window.id;
      c.windowEndMs = window.endMs;
      c.allowance = 0;
      c.drained = false;
      c.knownUsed = 0;
    }
    return c;
  }

  private tauMs(policy: RateLimitPolicy) {
    return Math.min(10_000, Math.max(250, (policy.windowSeconds * 1000) / 4));
  }

  /** Counts one request of demand on the counter (exponential decay, time constant `tauMs`). */
  private observe(c: Counter, now: number) {
    const dt = Math.max(0, now - c.scoredAt);
    c.score = c.score * Math.exp(-dt / this.tauMs(c.policy)) + 1;
    c.scoredAt = Math.max(c.scoredAt, now);
  }

  /** How many units to ask for: expected demand until the lease expires, capped by half the fair share of what is left. */
  private leaseSize(c: Counter, now: number): number {
    const tau = this.tauMs(c.policy);
    // The score counts the request being decided: leave it out of the rate, add it back as the `1 +`.
    const others = Math.max(0, c.score * Math.exp(-Math.max(0, now - c.scoredAt) / tau) - 1);
    const horizonMs = Math.min(
      Math.max(0, c.windowEndMs - now),
      this.horizon * c.policy.windowSeconds * 1000,
    );
    const expected = (others / tau) * horizonMs;
    const demand = 1 + Math.round(expected + this.margin * Math.sqrt(expected));
    const left = Math.max(0, c.policy.limit - c.knownUsed);
    const fair = Math.floor(left * c.prevShare * this.fairShareFraction);
    return Math.max(1, Math.min(demand, fair, this.maxLease));
  }

  private lease(c: Counter, now: number): Promise<void> {
    if (c.inflight) return c.inflight;
    const windowId = c.windowId;
    const want = this.leaseSize(c, now);
    this.stats.storeCalls++;
    let timedOut = false;
    const call = this.store.acquire({ key: c.key, policy: c.policy, windowId, want }).then(
      (grant) => this.apply(c, windowId, grant),
      (error) => {
        if (!timedOut) this.fail(c, error, now);
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        timedOut = true;
        const error = new StoreTimeoutError(`rate-limit store slower than ${this.storeTimeoutMs} ms`);
        this.fail(c, error, now + this.storeTimeoutMs);
        resolve();
      }, this.storeTimeoutMs);
      timer.unref?.();
    });
    const inflight = Promise.race([call, timeout]).finally(() => {
      clearTimeout(timer);
      if (c.inflight === inflight) c.inflight = undefined;
    });
    c.inflight = inflight;
    return inflight;
  }

  private apply(c: Counter, windowId: number, grant: LeaseGrant) {
    this.stats.storeWrites += grant.writes;
    this.stats.storeReads += grant.reads;
    this.stats.leasedUnits += grant.granted;
    c.failing = false;
    if (c.windowId !== windowId) return; // that window is over: its units are void
    c.allowance += grant.granted;
    c.granted += grant.granted;
    if (grant.used > 0) c.share = c.granted / grant.used;
    c.knownUsed = Math.max(c.knownUsed, grant.used);
    if (grant.used >= c.policy.limit) c.drained = true;
  }

  private fail(c: Counter, error: unknown, now: number) {
    this.stats.storeFailures++;
    c.failOpenUntil = now + this.failOpenMs;
    c.failing = true;
    this.onStoreFailure(error, c.key);
  }

  /** Drops counters whose window is over and nothing is in flight; then the oldest, down to 90 %. */
  private evict(now: number) {
    for (const [id, c] of this.counters)
      if (c.windowEndMs <= now && !c.inflight && c.failOpenUntil <= now) this.counters.delete(id);
    const target = Math.floor(this.maxKeys * 0.9);
    for (const [id, c] of this.counters) {
      if (this.counters.size <= target) break;
      if (!c.inflight) this.counters.delete(id);
    }
  }
}
