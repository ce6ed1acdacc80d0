import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { MinuteAggregate } from '../minute-aggregate.ts';

/** Raw minute aggregates are kept 35 days. */
const RETENTION_SECONDS = 35 * 86_400;

/**
 * Adds a batch's aggregates to the per-minute items. ADD is not idempotent: a retried batch counts
 * twice, an accepted skew for dashboards (exact replays are the analytics issue's to solve).
 */
export class DynamoAggregateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async add(aggregates: MinuteAggregate[]): Promise<void> {
    await Promise.all(
      aggregates.map((agg) => {
        const names: Record<string, string> = {
          '#count': 'count',
          '#errors': 'errors',
          '#sum': 'latencySumMs',
        };
        const values: Record<string, number> = {
          ':count': agg.count,
          ':errors': agg.errors,
          ':sum': agg.latencySumMs,
          ':exp': Math.floor(Date.parse(`${agg.minute}:00Z`) / 1000) + RETENTION_SECONDS,
        };
        const adds = ['#count :count', '#errors :errors', '#sum :sum'];
        agg.buckets.forEach((n, i) => {
          if (n === 0) return;
          names[`#b${i}`] = `b${i}`;
          values[`:b${i}`] = n;
          adds.push(`#b${i} :b${i}`);
        });
        return this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: agg.dimension, sk: `MIN#${agg.minute}` },
            UpdateExpression: `ADD ${adds.join(', ')} SET expiresAt = :exp`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
      }),
    );
  }
}
