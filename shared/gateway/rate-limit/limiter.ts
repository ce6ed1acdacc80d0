/**
 * Distributed rate limiter with batched leases of token buckets.
 *
 * WHAT IS COUNTED. Each rule is a token bucket on one key (`token-bucket.ts`): `limit` per
 * `windowSeconds` refilled continuously, at most `burst` at once, so over ANY interval of length T at
 * most rate × T + burst requests pass, with no boundary where twice the limit gets through. The bucket
 * of a key lives in the `LeaseStore` (DynamoDB: one item, one number), whose single atomic operation
 * hands out units and never more than the bucket holds, however many instances ask at once. So the
 * global upper bound is exact, not "eventually synced" like Kong's (+10 %) or APISIX's (+18 %) counters.
 *
 * LEASES. An instance (one per Lambda execution environment) keeps, per key, units leased from the
 * store in batches; a request that finds a unit is decided in memory, with no I/O. Each unit has a
 * slot in the bucket and must be used by `slot − I + hold` (`token-bucket.ts` shows why that keeps the
 * bound exact); units are used oldest first and a unit past its deadline is dropped (`expiredUnits`).
 * The size asked for is the demand expected over `horizonMs`, as far as it can be used in time:
 *
 *     want = 1 + min(round(rate × horizon), units usable before their deadlines at that rate)
 *
 * where `rate` is this instance's request rate on the key, an exponentially decayed count (time
 * constant a quarter of the window, 0.25–10 s) that excludes the request being decided. A cold or
 * sparse key leases 1 unit at a time; a steady one about one lease per horizon.
 *
 * AN EMPTY BUCKET. An instance that last saw the bucket too empty for its next lease reads it first
 * (`LeaseStore.peek`, a fifth of a write's price) and sizes the lease on what it finds, rather than
 * paying a conditional write bound to fail. When the store grants less than asked, the bucket is
 * empty: the instance leases
 * again no sooner than `refillWaitMs` later and not before the bucket holds a unit again, and refuses
 * without I/O until then. Tokens are not lost while it waits (the bucket keeps filling for whoever asks
 * next), and refused requests cost no write.
 *
 * SEVERAL DIMENSIONS. A request consumes one unit from every rule that applies, or from none: the
 * limiter first makes sure every rule has a unit (leasing where needed, in parallel), then takes one
 * unit from each in one synchronous step. If any rule is exhausted nothing is taken, so the dimensions
 * that had room lose nothing (their units stay for the next request until their deadline). A rule
 * already known to be empty refuses before anything is leased for the others.
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
import { bucketSortKey } from './lease-counters.ts';
import type { RateLimitRule } from './policy.ts';
import {
  availableAtUs,
  costUs,
  DEFAULT_HOLD_MS,
  grantable,
  holdUs,
  intervalUs,
  predictsContinue,
  restartBelowUs,
  toleranceUs,
} from './token-bucket.ts';

export interface RateLimiterOptions {
  store: LeaseStore;
  clock?: () => number;
  /** A leased unit may be used until this long after its slot (less for small bursts). Default 250 ms. */
  maxHoldMs?: number;
  /** A lease covers the demand expected over this long, at most. Default 1,000 ms. */
  horizonMs?: number;
  /** After the store ran short, no lease of that key for this long. Default 100 ms. */
  refillWaitMs?: number;
  /** Upper bound of one lease. Default 10,000. */
  maxLease?: number;
  /** After a store failure, the rule is allowed without asking the store for this long. Default 1,000 ms. */
  failOpenMs?: number;
  /** A store call slower than this fails open (the grant still counts if it arrives). Default 1,000 ms. */
  storeTimeoutMs?: number;
  /** Buckets kept in memory (one per key and policy); the oldest are dropped beyond. Default 10,000. */
  maxKeys?: number;
  onStoreFailure?: (error: unknown, key: string) => void;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** When refused: until the exhausted bucket(s) can serve this instance again. */
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
  /** Leased units dropped unused past their deadline. */
  expiredUnits: number;
}

/** Units of one lease: unit j (1-based) has the slot `startUs + j·I`. */
interface Batch {
  startUs: number;
  count: number;
  /** The next unit to use. */
  next: number;
}

interface Counter {
  key: string;
  policy: RateLimitPolicy;
  intervalUs: number;
  holdUs: number;
  batches: Batch[];
  /** The bucket's `tat` as the store last reported it (µs). */
  knownTatUs: number | undefined;
  /** The store ran short: no lease before this (ms). */
  nextLeaseAt: number;
  /** The time of the last lease sent (ms). */
  leasedAt: number;
  failOpenUntil: number;
  /** The last lease failed: the next ones are tried in the background, no request waits on them. */
  failing: boolean;
  inflight: Promise<void> | undefined;
  /** Decayed request count (demand estimate) and when it was last decayed. */
  score: number;
  scoredAt: number;
}

/** Rounds of leases granting nothing (while the store seems to have units) before failing open. */
const MAX_IDLE_ROUNDS = 8;

/** The µs every comparison with the store uses (whole, as the store keeps them). */
const microsOf = (ms: number) => Math.floor(ms * 1000);

/** A lease that leaves the bucket at least this full is sized by demand alone. */
const PLENTY = 0.6;

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
    expiredUnits: 0,
  };
  private readonly counters = new Map<string, Counter>();
  private readonly store: LeaseStore;
  private readonly clock: () => number;
  private readonly maxHoldMs: number;
  private readonly horizonMs: number;
  private readonly refillWaitMs: number;
  private readonly maxLease: number;
  private readonly failOpenMs: number;
  private readonly storeTimeoutMs: number;
  private readonly maxKeys: number;
  private readonly onStoreFailure: (error: unknown, key: string) => void;

  constructor(options: RateLimiterOptions) {
    this.store = options.store;
    this.clock = options.clock ?? Date.now;
    this.maxHoldMs = options.maxHoldMs ?? DEFAULT_HOLD_MS;
    this.horizonMs = options.horizonMs ?? 1_000;
    this.refillWaitMs = options.refillWaitMs ?? 100;
    this.maxLease = options.maxLease ?? 10_000;
    this.failOpenMs = options.failOpenMs ?? 1_000;
    this.storeTimeoutMs = options.storeTimeoutMs ?? 1_000;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.onStoreFailure = options.onStoreFailure ?? (() => {});
  }

  /** How many buckets (key × policy) this instance holds in memory. */
  get trackedKeys(): number {
    return this.counters.size;
  }

  /**
   * Decides one request against every rule that applies to it, consuming one unit of each if allowed.
   * `at` fixes the decision time (simulations); without it, the clock's time at the call.
   */
  async check(rules: RateLimitRule[], at?: number): Promise<RateLimitDecision> {
    let now = at ?? this.clock();
    this.stats.checks++;
    const counters = rules.map((rule) => this.counter(rule, now));
    const distinct = [...new Set(counters)]; // two rules on one key and policy count once
    for (const c of distinct) this.observe(c, now);
    for (const c of distinct)
      if (c.failing && c.failOpenUntil <= now && this.usable(c, now) < 1) void this.lease(c, now);
    for (let idle = 0; ; ) {
      const open = (c: Counter) => c.failOpenUntil > now || c.failing;
      const empty = distinct.filter((c) => !open(c) && this.usable(c, now) < 1);
      const exhausted = empty.filter((c) => c.nextLeaseAt > now);
      if (exhausted.length) return this.refuse(rules, counters, exhausted, now);
      if (empty.length === 0) break;
      if (idle >= MAX_IDLE_ROUNDS) {
        // The store keeps granting nothing while seeming to have units: treat it as failing.
        for (const c of empty) this.fail(c, new Error('the store granted nothing, repeatedly'), now);
        continue;
      }
      const leased = this.stats.leasedUnits;
      await Promise.all(empty.map((c) => this.lease(c, now)));
      // A unit is used no earlier than the lease that brought it (a concurrent check may have sent it later).
      for (const c of distinct) now = Math.max(now, c.leasedAt);
      // Units leased (even if a concurrent check took them) are progress; only empty rounds count.
      idle = this.stats.leasedUnits > leased ? 0 : idle + 1;
    }
    // Every rule has a unit (or is failing open): take one from each, in one synchronous step.
    let failedOpen = false;
    for (const c of distinct) {
      if (this.usable(c, now) >= 1) this.take(c);
      else failedOpen = true;
    }
    this.stats.allowed++;
    if (failedOpen) this.stats.failOpenAdmissions++;
    return { allowed: true, violated: [], failedOpen, headers: this.headers(rules, counters, now) };
  }

  private refuse(rules: RateLimitRule[], counters: Counter[], exhausted: Counter[], now: number) {
    this.stats.refused++;
    const retryAfterMs = Math.max(
      ...exhausted.map((c) => Math.max(c.nextLeaseAt, this.refilledAt(c, 1)) - now),
    );
    const violated = rules.filter((_, i) => exhausted.includes(counters[i]!)).map((r) => r.name);
    const headers = this.headers(rules, counters, now, exhausted);
    headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
    return { allowed: false, retryAfterMs, violated, failedOpen: false, headers } satisfies RateLimitDecision;
  }

  /** `exhausted` rules show nothing remaining: this instance refuses on them until `Retry-After`. */
  private headers(
    rules: RateLimitRule[],
    counters: Counter[],
    now: number,
    exhausted: Counter[] = [],
  ): Record<string, string> {
    if (rules.length === 0) return {};
    const limits: ServiceLimitItem[] = [];
    const nowUs = microsOf(now);
    rules.forEach((rule, i) => {
      const c = counters[i]!;
      const held = this.usable(c, now);
      if ((c.failOpenUntil > now || c.failing) && held < 1) return; // unknown while the store fails
      const inBucket = grantable(c.policy, c.knownTatUs, nowUs, c.holdUs, Number.POSITIVE_INFINITY);
      limits.push({
        name: rule.name,
        remaining: exhausted.includes(c) ? 0 : held + inBucket,
        resetSeconds: Math.ceil(Math.max(0, (c.knownTatUs ?? 0) - nowUs) / 1e6),
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

  private counter(rule: RateLimitRule, now: number): Counter {
    const id = `${rule.key}|${bucketSortKey(rule.policy)}`;
    let c = this.counters.get(id);
    if (!c) {
      if (this.counters.size >= this.maxKeys) this.evict(now);
      c = {
        key: rule.key,
        policy: rule.policy,
        intervalUs: intervalUs(rule.policy),
        holdUs: holdUs(rule.policy, this.maxHoldMs),
        batches: [],
        knownTatUs: undefined,
        nextLeaseAt: 0,
        leasedAt: 0,
        failOpenUntil: 0,
        failing: false,
        inflight: undefined,
        score: 0,
        scoredAt: now,
      };
      this.counters.set(id, c);
    }
    return c;
  }

  /** Units held that can still be used at `now`; drops the ones past their deadline. */
  private usable(c: Counter, now: number): number {
    const nowUs = microsOf(now);
    let units = 0;
    while (c.batches.length) {
      const b = c.batches[0]!;
      // Unit j may be used while now ≤ startUs + (j − 1)·I + hold (its slot less one interval, plus the hold).
      const first = Math.max(b.next, Math.ceil((nowUs - c.holdUs - b.startUs) / c.intervalUs) + 1);
      if (first > b.next) {
        this.stats.expiredUnits += Math.min(first, b.count + 1) - b.next;
        b.next = Math.min(first, b.count + 1);
      }
      if (b.next <= b.count) break;
      c.batches.shift();
    }
    for (const b of c.batches) units += b.count - b.next + 1;
    return units;
  }

  /** Takes the oldest usable unit (`usable` was just called at the same time). */
  private take(c: Counter) {
    const b = c.batches[0]!;
    b.next++;
    if (b.next > b.count) c.batches.shift();
  }

  /** When (ms) the bucket holds `units` for a lease, as far as this instance knows. */
  private refilledAt(c: Counter, units: number): number {
    if (c.knownTatUs === undefined) return 0;
    return availableAtUs(c.policy, c.knownTatUs, c.holdUs, units) / 1000;
  }

  private tauMs(policy: RateLimitPolicy) {
    return Math.min(10_000, Math.max(500, (policy.windowSeconds * 1000) / 4));
  }

  /** Counts one request of demand on the counter (exponential decay, time constant `tauMs`). */
  private observe(c: Counter, now: number) {
    const dt = Math.max(0, now - c.scoredAt);
    c.score = c.score * Math.exp(-dt / this.tauMs(c.policy)) + 1;
    c.scoredAt = Math.max(c.scoredAt, now);
  }

  /** How many units to ask for: the demand expected over the horizon, as far as it can be used in time. */
  private leaseSize(c: Counter, now: number): number {
    const tau = this.tauMs(c.policy);
    // The score counts the request being decided: leave it out of the rate, add it back as the `1 +`.
    const others = Math.max(0, c.score * Math.exp(-Math.max(0, now - c.scoredAt) / tau) - 1);
    const perMs = others / tau;
    const expected = Math.round(perMs * this.horizonMs);
    // At perMs a unit j is used about j / perMs from now; its deadline is start + (j − 1)·I + hold.
    const nowUs = microsOf(now);
    // Where the slots will start, at the earliest: a bucket seen busy may be continued from half a hold back.
    const start = predictsContinue(c.knownTatUs, nowUs)
      ? Math.max(c.knownTatUs, restartBelowUs(nowUs, c.holdUs))
      : nowUs;
    const lead = start - nowUs + c.holdUs - c.intervalUs;
    const gapUs = perMs > 0 ? 1000 / perMs : Number.POSITIVE_INFINITY;
    // Arrivals are random: j of them take about j·gap ± √j·gap. Units j with j·(gap − I) + 2√j·gap ≤ lead
    // are used in time with a margin of two standard deviations (solved for √j).
    const slack = gapUs - c.intervalUs;
    let inTime = expected; // used faster than the bucket refills: no unit waits past its deadline
    if (!Number.isFinite(gapUs)) inTime = 0;
    else if (slack > 0) {
      const root = (Math.sqrt(gapUs * gapUs + slack * Math.max(0, lead)) - gapUs) / slack;
      inTime = Math.floor(root * root);
    }
    // While the bucket stays mostly full, units that expire unused are not missed by anyone.
    const inBucket = (tat: number | undefined) =>
      grantable(c.policy, tat, nowUs, c.holdUs, Number.POSITIVE_INFINITY);
    const plenty =
      c.knownTatUs !== undefined && inBucket(c.knownTatUs) - expected >= PLENTY * inBucket(undefined);
    const size = plenty ? expected : Math.min(expected, inTime);
    return Math.max(1, Math.min(1 + size, this.maxLease));
  }

  private lease(c: Counter, now: number): Promise<void> {
    if (c.inflight) return c.inflight;
    this.stats.storeCalls++;
    c.leasedAt = Math.max(c.leasedAt, now);
    let timedOut = false;
    const call = this.sizedLease(c, now)
      .then(async (want) => {
        const grant = await this.store.acquire({
          key: c.key,
          policy: c.policy,
          nowUs: microsOf(now),
          holdUs: c.holdUs,
          want,
          lastTatUs: c.knownTatUs,
        });
        this.apply(c, grant, want, now);
      })
      .catch((error) => {
        if (!timedOut) this.fail(c, error, now);
      });
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

  /**
   * The lease size, from the bucket as it is when it was last seen too empty for it: one consistent
   * read (a fifth of a write's price) instead of a conditional write bound to fail, and a size that
   * the units' deadlines allow on the bucket as it really is.
   */
  private async sizedLease(c: Counter, now: number): Promise<number> {
    const want = this.leaseSize(c, now);
    const { knownTatUs } = c;
    if (!this.store.peek || knownTatUs === undefined) return want;
    if (grantable(c.policy, knownTatUs, microsOf(now), c.holdUs, want) >= want) return want;
    this.stats.storeReads++;
    const tat = await this.store.peek(c.key, c.policy);
    if (tat !== undefined) c.knownTatUs = Math.max(knownTatUs, tat);
    return this.leaseSize(c, now);
  }

  private apply(c: Counter, grant: LeaseGrant, want: number, now: number) {
    this.stats.storeWrites += grant.writes;
    this.stats.storeReads += grant.reads;
    this.stats.leasedUnits += grant.granted;
    c.failing = false;
    if (grant.tatUs !== undefined) c.knownTatUs = Math.max(c.knownTatUs ?? 0, grant.tatUs);
    if (grant.granted > 0) {
      const startUs = grant.tatUs! - costUs(c.policy, grant.granted);
      c.batches.push({ startUs, count: grant.granted, next: 1 });
    }
    // Short: the bucket is empty. Wait about as long as it takes to refill what was wanted, but not
    // so long that it could fill up and overflow meanwhile (half its depth).
    const wait = Math.min(
      Math.max(this.refillWaitMs, Math.min(this.horizonMs, (want * c.intervalUs) / 1000)),
      toleranceUs(c.policy, c.holdUs) / 2000,
    );
    c.nextLeaseAt = grant.granted < want ? Math.max(now + wait, this.refilledAt(c, 1)) : 0;
  }

  private fail(c: Counter, error: unknown, now: number) {
    this.stats.storeFailures++;
    c.failOpenUntil = now + this.failOpenMs;
    c.failing = true;
    this.onStoreFailure(error, c.key);
  }

  /** Drops buckets that are full again with nothing held or in flight; then the oldest, down to 90 %. */
  private evict(now: number) {
    for (const [id, c] of this.counters)
      if (
        (c.knownTatUs ?? 0) <= microsOf(now) &&
        this.usable(c, now) === 0 &&
        !c.inflight &&
        c.failOpenUntil <= now
      )
        this.counters.delete(id);
    const target = Math.floor(this.maxKeys * 0.9);
    for (const [id, c] of this.counters) {
      if (this.counters.size <= target) break;
      if (!c.inflight) this.counters.delete(id);
    }
  }
}
