import type { RateLimitPolicy } from '../../kernel/rate-limit-policy.ts';
import type { LeaseGrant, LeaseRequest, LeaseStore } from '../ports.ts';
import { grantable } from '../rate-limit/lease-counters.ts';

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
