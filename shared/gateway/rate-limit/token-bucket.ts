import type { RateLimitPolicy } from '../../kernel/rate-limit-policy.ts';

/**
 * Token-bucket arithmetic (GCRA form), pure and in integer microseconds.
 *
 * A policy `{limit, windowSeconds, burst}` is a bucket that refills `limit / windowSeconds` units a
 * second up to `burst` (default `limit`): one unit costs the emission interval I = windowSeconds / limit.
 * The shared state of a bucket is one number, its theoretical arrival time `tat`: the bucket is full
 * when `tat <= now`, and a lease of n units at `now` moves it from `start` to `start + cost(n)`, allowed
 * while that stays within `now + tolerance`. `start` is `tat` itself unless the bucket has been full
 * for a while (`tat < now − hold/2`), then `now`: GCRA's `max(tat, now)`, except that a `tat` slightly
 * behind `now` is continued rather than reset (DynamoDB has no `max`: the caller must guess which of the
 * two updates applies, see `predictsContinue`).
 *
 * Held units. A gateway instance leases units in batches and spends them later, so a unit's use time
 * is not its grant time. Unit j of a batch whose bucket position starts at `start` has the slot
 * `s = start + j·I`; it may be used only until `s − I + hold`, and the store's tolerance is
 * `burst·I − hold`. Then the units used in any interval [a, a+T] have slots in
 * [a + I − hold, a + T + tolerance] (a slot is at most the lease's `now + tolerance`), spaced at least
 * I apart: at most floor((T + tolerance + hold − I)/I) + 1 = floor(rate·T + burst) of them, however the
 * instances interleave. That is exactly a perfect bucket's bound (GCRA's slots lie in [u + I, u + τ]
 * for a call at u; with hold 0 these are the same). On a busy bucket the slots lie ahead of `now`, so
 * a held unit lives about `burst·I`; at a full bucket, `hold` at least. The price: from a full bucket,
 * `rate·hold` of the burst is unavailable (see `holdUs`).
 */

export const DEFAULT_HOLD_MS = 250;

/** Refill rate in units per second. */
export const rateOf = (policy: RateLimitPolicy) => policy.limit / policy.windowSeconds;

export const burstOf = (policy: RateLimitPolicy) => policy.burst ?? policy.limit;

/** The emission interval I in µs, exact (may be fractional). */
export const intervalUs = (policy: RateLimitPolicy) => (policy.windowSeconds * 1e6) / policy.limit;

/** What n units move the bucket by, in whole µs (rounded up: never more than the rate). */
export const costUs = (policy: RateLimitPolicy, n: number) =>
  Math.ceil((n * policy.windowSeconds * 1e6) / policy.limit);

/**
 * How long a leased unit may be held past its slot less one interval: a whole number of intervals (so the burst loses
 * whole units, never a fraction rounded to one), at most `maxHoldMs` and a quarter of the burst's time,
 * and short of the whole burst. Nothing when one interval is longer than that (slow policies).
 */
export function holdUs(policy: RateLimitPolicy, maxHoldMs = DEFAULT_HOLD_MS): number {
  const interval = intervalUs(policy);
  const burst = burstOf(policy);
  const intervals = Math.min(Math.floor((maxHoldMs * 1000) / interval), Math.floor(burst / 4), burst - 1);
  return Math.max(0, intervals) * interval;
}

/** The store's tolerance for a hold: `burst·I − hold`, in whole µs (rounded up: a µs, not a unit). */
export const toleranceUs = (policy: RateLimitPolicy, hold: number) =>
  Math.ceil(burstOf(policy) * intervalUs(policy) - hold);

/** A `tat` below this has been full for half a hold: a lease restarts the bucket at `now`. */
export const restartBelowUs = (nowUs: number, hold: number) => nowUs - Math.floor(hold / 2);

export const continuesFrom = (tatUs: number | undefined, nowUs: number, hold: number): tatUs is number =>
  tatUs !== undefined && tatUs >= restartBelowUs(nowUs, hold);

/**
 * The form a lease's first write should take, from the `tat` the caller last saw: continue unless that
 * is over a second old. Other instances have likely moved a busy bucket's `tat` since; predicting a
 * restart from a stale value would cost a failed write on most leases of a nearly full, busy bucket.
 */
export const predictsContinue = (lastTatUs: number | undefined, nowUs: number): lastTatUs is number =>
  lastTatUs !== undefined && lastTatUs >= nowUs - 1_000_000;

/** Where a lease's slots start: `tat`, or `now` when the bucket restarts. */
export const leaseStartUs = (tatUs: number | undefined, nowUs: number, hold: number) =>
  continuesFrom(tatUs, nowUs, hold) ? tatUs : nowUs;

/**
 * The most units (≤ want) a lease at `nowUs` can take from a bucket at `tatUs` (undefined: never used,
 * full) without passing `now + tolerance`.
 */
export function grantable(
  policy: RateLimitPolicy,
  tatUs: number | undefined,
  nowUs: number,
  hold: number,
  want: number,
): number {
  const room = nowUs + toleranceUs(policy, hold) - leaseStartUs(tatUs, nowUs, hold);
  let n = Math.min(Math.floor(want), Math.floor((room * policy.limit) / (policy.windowSeconds * 1e6)));
  while (n > 0 && costUs(policy, n) > room) n--;
  return Math.max(0, n);
}

/** When (µs) the bucket at `tatUs` will hold `units` units for a lease: `tat − tolerance + cost(units)`. */
export const availableAtUs = (policy: RateLimitPolicy, tatUs: number, hold: number, units: number) =>
  tatUs - toleranceUs(policy, hold) + costUs(policy, units);

/**
 * One conditional update of a lease, planned from the `tat` the caller believes current: either
 * continue (`tat + cost`, if `floor ≤ tat ≤ most`) or restart (`now + cost`, if `tat < floor` or absent).
 * The first attempt guesses the form (`predictsContinue`); a retry knows the stored `tat`.
 */
export interface LeaseUpdate {
  units: number;
  costUs: number;
  continues: boolean;
  floorUs: number;
  mostUs: number;
  restartTatUs: number;
  /** What `tat` becomes, as far as the caller can tell before the store answers. */
  expectedTatUs: number;
}

export function planLeaseUpdate(
  policy: RateLimitPolicy,
  tatUs: number | undefined,
  nowUs: number,
  hold: number,
  want: number,
  firstAttempt: boolean,
): LeaseUpdate | undefined {
  const units = grantable(policy, tatUs, nowUs, hold, want);
  if (units === 0) return undefined;
  const cost = costUs(policy, units);
  return {
    units,
    costUs: cost,
    continues: firstAttempt ? predictsContinue(tatUs, nowUs) : continuesFrom(tatUs, nowUs, hold),
    floorUs: restartBelowUs(nowUs, hold),
    mostUs: nowUs + toleranceUs(policy, hold) - cost,
    restartTatUs: nowUs + cost,
    expectedTatUs: leaseStartUs(tatUs, nowUs, hold) + cost,
  };
}

/** The `tat` an update leaves on a bucket stored at `storedTatUs`, or undefined if its condition fails. */
export function applyLeaseUpdate(update: LeaseUpdate, storedTatUs: number | undefined): number | undefined {
  if (update.continues)
    return storedTatUs !== undefined && storedTatUs >= update.floorUs && storedTatUs <= update.mostUs
      ? storedTatUs + update.costUs
      : undefined;
  return storedTatUs === undefined || storedTatUs < update.floorUs ? update.restartTatUs : undefined;
}
