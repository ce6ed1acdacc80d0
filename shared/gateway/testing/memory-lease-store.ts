import type { RateLimitPolicy } from '../../kernel/rate-limit-policy.ts';
import type { LeaseGrant, LeaseRequest, LeaseStore } from '../ports.ts';
import { bucketSortKey } from '../rate-limit/lease-counters.ts';
import { applyLeaseUpdate, planLeaseUpdate } from '../rate-limit/token-bucket.ts';

/**
 * The same semantics in memory, for unit tests and simulations (one store shared by many limiters). It
 * follows the DynamoDB adapter's protocol (a conditional write in the form the last known `tat`
 * predicts, retried for what fits) so that `writes` counts what DynamoDB would bill.
 */
export class MemoryLeaseStore implements LeaseStore {
  readonly buckets = new Map<string, number>();
  calls = 0;
  /** When set, `acquire` throws it (to exercise fail-open). */
  failure: Error | undefined;

  async acquire({ key, policy, nowUs, holdUs, want, lastTatUs }: LeaseRequest): Promise<LeaseGrant> {
    this.calls++;
    if (this.failure) throw this.failure;
    const id = `${key}|${bucketSortKey(policy)}`;
    const actual = this.buckets.get(id);
    let known = lastTatUs;
    let writes = 0;
    for (let attempt = 0; attempt < 4; attempt++) {
      const update = planLeaseUpdate(policy, known, nowUs, holdUs, want, attempt === 0);
      if (!update) break;
      writes++;
      const tat = applyLeaseUpdate(update, actual);
      if (tat !== undefined) {
        this.buckets.set(id, tat);
        return { granted: update.units, tatUs: tat, writes, reads: 0 };
      }
      known = actual;
    }
    return { granted: 0, tatUs: known, writes, reads: 0 };
  }

  async peek(key: string, policy: RateLimitPolicy): Promise<number | undefined> {
    this.calls++;
    if (this.failure) throw this.failure;
    return this.tatOf(key, policy);
  }

  /** The bucket's `tat` (µs), undefined if never used. */
  tatOf(key: string, policy: RateLimitPolicy): number | undefined {
    return this.buckets.get(`${key}|${bucketSortKey(policy)}`);
  }
}
