import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateLimitPolicy } from '../../kernel/rate-limit-policy.ts';
import type { LeaseGrant, LeaseRequest, LeaseStore } from '../ports.ts';
import { bucketSortKey, counterExpiry } from '../rate-limit/lease-counters.ts';
import { planLeaseUpdate } from '../rate-limit/token-bucket.ts';

/**
 * Rate-limit buckets in DynamoDB: one item per key and policy, `pk = RL#<key>`,
 * `sk = TB#<limit>/<windowSeconds>/<burst>`, `tat` (the bucket's theoretical arrival time, integer µs),
 * `expiresAt` (TTL: when the bucket is full again + 5 min). A changed policy starts a bucket of its own.
 *
 * A lease is ONE conditional UpdateItem, in one of two forms (`planLeaseUpdate`), the one the `tat`
 * last seen predicts:
 * - continue: `SET tat = tat + :cost` if `tat BETWEEN :floor AND :most` (`floor = now − hold/2`,
 *   `most = now + tolerance − cost`);
 * - restart a bucket full for a while: `SET tat = :now + :cost` if `attribute_not_exists(tat) OR tat < :floor`.
 * Check and change are one atomic operation, so concurrent instances never take more than the bucket
 * holds. When the condition fails, the same call returns the item as it was
 * (`ReturnValuesOnConditionCheckFailure: ALL_OLD`; a consistent GetItem if the endpoint omits it), and
 * the lease is retried in the right form for what fits (at most `maxAttempts` writes). Nothing is read on
 * the success path. Errors other than the condition propagate: the limiter fails open on them.
 *
 * The caller needs `dynamodb:UpdateItem` (and `dynamodb:GetItem` for endpoints that do not return the
 * old item) on the table.
 */
export class DynamoLeaseStore implements LeaseStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** Conditional attempts per lease (each failure means someone else took units meanwhile). */
    private readonly maxAttempts = 4,
  ) {}

  async acquire({ key, policy, nowUs, holdUs, want, lastTatUs }: LeaseRequest): Promise<LeaseGrant> {
    const Key = { pk: `RL#${key}`, sk: bucketSortKey(policy) };
    let tat = lastTatUs;
    let writes = 0;
    let reads = 0;
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const update = planLeaseUpdate(policy, tat, nowUs, holdUs, want, attempt === 0);
      if (!update) break;
      const expiresAt = counterExpiry(update.mostUs + update.costUs); // past any tat this write can leave
      try {
        writes++;
        const { Attributes } = await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key,
            UpdateExpression: update.continues
              ? 'SET tat = tat + :cost, expiresAt = :expiresAt'
              : 'SET tat = :next, expiresAt = :expiresAt',
            ConditionExpression: update.continues
              ? 'tat BETWEEN :floor AND :most'
              : 'attribute_not_exists(tat) OR tat < :floor',
            ExpressionAttributeValues: update.continues
              ? {
                  ':cost': update.costUs,
                  ':floor': update.floorUs,
                  ':most': update.mostUs,
                  ':expiresAt': expiresAt,
                }
              : { ':next': update.restartTatUs, ':floor': update.floorUs, ':expiresAt': expiresAt },
            ReturnValues: 'UPDATED_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        tat = Number(Attributes?.tat ?? update.expectedTatUs);
        return { granted: update.units, tatUs: tat, writes, reads };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const old = (error as ConditionalCheckFailedException & { Item?: Record<string, { N?: string }> })
          .Item;
        if (old) tat = old.tat?.N === undefined ? undefined : Number(old.tat.N);
        else {
          reads++;
          const { Item } = await this.db.send(
            new GetCommand({ TableName: this.table, Key, ConsistentRead: true }),
          );
          tat = Item?.tat === undefined ? undefined : Number(Item.tat);
        }
      }
    }
    return { granted: 0, tatUs: tat, writes, reads };
  }

  async peek(key: string, policy: RateLimitPolicy): Promise<number | undefined> {
    const Key = { pk: `RL#${key}`, sk: bucketSortKey(policy) };
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key, ConsistentRead: true }));
    return Item?.tat === undefined ? undefined : Number(Item.tat);
  }
}
