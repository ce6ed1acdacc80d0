import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { queryPartition } from '../../aws/query-partition.ts';
import { type AggregateCell, type Grain, parsePeriod, periodOf, RETENTION_DAYS } from '../aggregate-cells.ts';
import type { AggregateStore } from '../ports.ts';

const checkpointKey = (shard: string) => ({ pk: `CHECKPOINT#${shard}`, sk: 'CHECKPOINT' });
/** Attributes of a cell's item that are not counters. */
const NOT_COUNTERS = new Set(['pk', 'sk', 'expiresAt']);

/**
 * Cells as items (`pk` the dimension, `sk` the period, one number attribute per counter, `expiresAt` by
 * the grain's retention) and a checkpoint item per shard, written together in one transaction: each
 * counter by `ADD`, the checkpoint by a `SET` conditioned on the value the writer read.
 */
export class DynamoAggregateStore implements AggregateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async checkpoint(shard: string): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: checkpointKey(shard), ConsistentRead: true }),
    );
    return Item?.sequence as string | undefined;
  }

  async apply(
    shard: string,
    after: string | undefined,
    through: string,
    cells: readonly AggregateCell[],
  ): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...cells.map((cell) => ({ Update: this.addition(cell) })),
            {
              Update: {
                TableName: this.table,
                Key: checkpointKey(shard),
                UpdateExpression: 'SET #sequence = :through',
                ConditionExpression:
                  after === undefined ? 'attribute_not_exists(#sequence)' : '#sequence = :after',
                ExpressionAttributeNames: { '#sequence': 'sequence' },
                ExpressionAttributeValues: {
                  ':through': through,
                  ...(after === undefined ? {} : { ':after': after }),
                },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      if (error.CancellationReasons?.at(-1)?.Code === 'ConditionalCheckFailed') return false;
      // Without reasons to go by: refused for the checkpoint exactly when it is not where it was read.
      if (!error.CancellationReasons && (await this.checkpoint(shard)) !== after) return false;
      throw error;
    }
  }

  async read(dimension: string, grain: Grain, from: string, to: string): Promise<AggregateCell[]> {
    const items = await queryPartition(this.db, {
      table: this.table,
      pk: dimension,
      skBetween: { from: periodOf(grain, from), to: periodOf(grain, to) },
    });
    return items.map((item) => ({
      dimension,
      period: item.sk as string,
      counters: Object.fromEntries(
        Object.entries(item).filter(([name]) => !NOT_COUNTERS.has(name)) as [string, number][],
      ),
    }));
  }

  private addition(cell: AggregateCell) {
    const { grain, startMs } = parsePeriod(cell.period);
    const names: Record<string, string> = {};
    const values: Record<string, number> = {
      ':exp': Math.floor(startMs / 1000) + RETENTION_DAYS[grain] * 86_400,
    };
    const adds = Object.entries(cell.counters).map(([name, n], i) => {
      names[`#c${i}`] = name;
      values[`:c${i}`] = n;
      return `#c${i} :c${i}`;
    });
    return {
      TableName: this.table,
      Key: { pk: cell.dimension, sk: cell.period },
      UpdateExpression: `ADD ${adds.join(', ')} SET expiresAt = :exp`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }
}
