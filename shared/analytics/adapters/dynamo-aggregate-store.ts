import { BatchGetCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally } from '../../aws/conditional-write.ts';
import { queryPartition } from '../../aws/query-partition.ts';
import { type AggregateCell, type Grain, parsePeriod, periodOf, RETENTION_DAYS } from '../aggregate-cells.ts';
import type { AggregateStore, CellKey, StoredCell } from '../ports.ts';

/** DynamoDB reads at most 100 keys per BatchGetItem. */
const KEYS_PER_READ = 100;
const UNPROCESSED_RETRIES = 8;

const keyOf = (cell: CellKey) => ({ pk: cell.dimension, sk: cell.period });

/**
 * Cells as items: `pk` the dimension, `sk` the period, `counters` and `counted` maps, a `version` number
 * and `expiresAt` by the grain's retention. A write is a whole-item put conditioned on the version read:
 * it costs the write units of the item's size, as an update of the same item would.
 */
export class DynamoAggregateStore implements AggregateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async load(keys: readonly CellKey[]): Promise<StoredCell[]> {
    const cells: StoredCell[] = [];
    for (let i = 0; i < keys.length; i += KEYS_PER_READ) {
      let pending: Record<string, unknown>[] = keys.slice(i, i + KEYS_PER_READ).map(keyOf);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > UNPROCESSED_RETRIES) throw new Error(`${pending.length} aggregate cells stayed unread`);
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
        const { Responses, UnprocessedKeys } = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true } } }),
        );
        for (const item of Responses?.[this.table] ?? [])
          cells.push({
            dimension: item.pk as string,
            period: item.sk as string,
            counters: item.counters as Record<string, number>,
            counted: item.counted as Record<string, string>,
            version: item.version as number,
          });
        pending = (UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }
    return cells;
  }

  async save(cell: AggregateCell & Pick<StoredCell, 'counted'>, read: number | undefined): Promise<boolean> {
    const { grain, startMs } = parsePeriod(cell.period);
    return conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keyOf(cell),
            counters: cell.counters,
            counted: cell.counted,
            version: (read ?? 0) + 1,
            expiresAt: Math.floor(startMs / 1000) + RETENTION_DAYS[grain] * 86_400,
          },
          ConditionExpression: read === undefined ? 'attribute_not_exists(pk)' : 'version = :read',
          ...(read === undefined ? {} : { ExpressionAttributeValues: { ':read': read } }),
        }),
      ),
    );
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
      counters: item.counters as Record<string, number>,
    }));
  }
}
