import { type RateLimitPolicy, windowById } from './policy.ts';

/**
 * The port behind the rate limiter: the shared budget of one key in one fixed window.
 *
 * `acquire` takes units from what is left of `limit` in window `windowId`, atomically: whatever the
 * number of instances calling at once, the grants of one window never add up to more than the limit.
 * It grants `min(want, limit − used)` as of the moment it applies, possibly 0.
 */
export interface LeaseRequest {
  key: string;
  policy: RateLimitPolicy;
  windowId: number;
  want: number;
}

export interface LeaseGrant {
  /** Units granted, 0..want. */
  granted: number;
  /** The window's total after this grant, as the store saw it (all instances together). */
  used: number;
  /** Write requests this call made (a failed conditional write is billed as a write too). */
  writes: number;
  /** Read requests this call made. */
  reads: number;
}

export interface LeaseStore {
  acquire(request: LeaseRequest): Promise<LeaseGrant>;
}

/** How long a window's counter is kept after the window ends (seconds): room for clock skew. */
export const COUNTER_RETENTION_SECONDS = 300;

export const counterExpiry = (policy: RateLimitPolicy, windowId: number) =>
  Math.ceil(windowById(policy, windowId).endMs / 1000) + COUNTER_RETENTION_SECONDS;

/** What a lease of `want` gets when `used` units of `limit` are gone. */
export const grantable = (limit: number, used: number, want: number) =>
  Math.max(0, Math.min(Math.floor(want), limit - used));

/**
 * The same semantics in memory, for unit tests and simulations (one store shared by many limiters). It
 * follows the DynamoDB adapter's protocol (conditional write, retried for what is left) so that
 * `writes` counts what DynamoDB would bill.
 */
export class MemoryLeaseStore implements LeaseStore {
  readonly counters = new Map<string, number>();
  calls = 0;
  /** When set, `acquire` throws it (to exercise fail-open). */
  failure: Error | undefined;

  async acquire({ key, policy, windowId, want }: LeaseRequest): Promise<LeaseGrant> {
    this.calls++;
    if (this.failure) throw this.failure;
    const id = `${key}|${policy.windowSeconds}|${windowId}`;
    const used = this.counters.get(id) ?? 0;
    let n = grantable(policy.limit, 0, want);
    let writes = 0;
    for (let attempt = 0; attempt < 4 && n > 0; attempt++) {
      writes++;
      if (used <= policy.limit - n) {
        this.counters.set(id, used + n);
        return { granted: n, used: used + n, writes, reads: 0 };
      }
      n = grantable(policy.limit, used, n);
    }
    return { granted: 0, used, writes, reads: 0 };
  }

  usedIn(key: string, policy: RateLimitPolicy, windowId: number): number {
    return this.counters.get(`${key}|${policy.windowSeconds}|${windowId}`) ?? 0;
  }
}
