import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LeaseGrant, LeaseRequest, LeaseStore } from '../ports.ts';
import { counterExpiry, grantable } from '../rate-limit/lease-counters.ts';

/**
 * Rate-limit budgets in DynamoDB: one item per key and window,
 * `pk = RL#<key>`, `sk = W<windowSeconds>#<windowId>`, `used` (units granted so far), `expiresAt` (TTL:
 * end of the window + 5 min). The window length is in the sort key so that two policies on the same key
 * (100 per second and 10,000 per day) never share a counter.
 *
 * A lease is ONE conditional UpdateItem: `ADD used :n` if `attribute_not_exists(used) OR used <= limit - n`.
 * The check and the increment are one atomic operation, so concurrent instances can never take more
 * than the limit together. When the condition fails, the same call returns the item as it was
 * (`ReturnValuesOnConditionCheckFailure: ALL_OLD`; a consistent GetItem if the endpoint omits it), and
 * the lease is retried for exactly what is left (again only if another instance took units in between,
 * at most `maxAttempts` writes), so the last units of a window are handed out rather than refused.
 * Nothing is read on the success path. Errors other than the condition propagate: the limiter fails
 * open on them.
 *
 * The table: `pk`/`sk` strings, TTL on `expiresAt`; the caller needs `dynamodb:UpdateItem` (and
 * `dynamodb:GetItem` for endpoints that do not return the old item) on it.
 */
export class DynamoLeaseStore implements LeaseStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** Conditional attempts per lease (each failure means someone else took units meanwhile). */
    private readonly maxAttempts = 4,
  ) {}

  async acquire({ key, policy, windowId, want }: LeaseRequest): Promise<LeaseGrant> {
    const Key = { pk: `RL#${key}`, sk: `W${policy.windowSeconds}#${windowId}` };
    const expiresAt = counterExpiry(policy, windowId);
    let n = grantable(policy.limit, 0, want);
    let writes = 0;
    let reads = 0;
    let used = 0;
    for (let attempt = 0; attempt < this.maxAttempts && n > 0; attempt++) {
      try {
        writes++;
        const { Attributes } = await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key,
            UpdateExpression: 'ADD used :n SET expiresAt = :expiresAt',
            ConditionExpression: 'attribute_not_exists(used) OR used <= :most',
            ExpressionAttributeValues: {
              ':n': n,
              ':most': policy.limit - n,
              ':expiresAt': expiresAt,
            },
            ReturnValues: 'UPDATED_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { granted: n, used: Number(Attributes?.used ?? n), writes, reads };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const old = (error as ConditionalCheckFailedException & { Item?: Record<string, { N?: string }> })
          .Item;
        if (old?.used?.N !== undefined) used = Number(old.used.N);
        else {
          reads++;
          const { Item } = await this.db.send(
            new GetCommand({ TableName: this.table, Key, ConsistentRead: true }),
          );
          used = Number(Item?.used ?? 0);
        }
        n = grantable(policy.limit, used, n);
      }
    }
    return { granted: 0, used, writes, reads };
  }
}
