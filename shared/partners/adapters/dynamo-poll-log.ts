import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally } from '../../aws/conditional-write.ts';
import { queryPartition } from '../../aws/query-partition.ts';
import type { PollLog, PollStatus } from '../ports.ts';
import { POLL_LOG_PARTITION, pollLogKey } from './partners-keys.ts';

const status = (item: Record<string, unknown>): PollStatus => ({
  partnerId: item.sk as string,
  slot: item.slot as number,
  consecutiveFailures: item.consecutiveFailures as number,
  ...(item.lastSuccessAt !== undefined ? { lastSuccessAt: item.lastSuccessAt as number } : {}),
  ...(item.lastFailure !== undefined ? { lastFailure: item.lastFailure as PollStatus['lastFailure'] } : {}),
});

/**
 * One item per partner under `POLLS` (the scheduler reads them all in one query); an outcome is
 * written only over an older slot, so a retried record counts once.
 */
export class DynamoPollLog implements PollLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(
    partnerId: string,
    slot: number,
    outcome: { ok: boolean; at: number; detail?: string },
  ): Promise<number> {
    const update = outcome.ok
      ? {
          UpdateExpression: 'SET slot = :slot, consecutiveFailures = :zero, lastSuccessAt = :at',
          ExpressionAttributeValues: { ':slot': slot, ':zero': 0, ':at': outcome.at },
        }
      : {
          UpdateExpression:
            'SET slot = :slot, consecutiveFailures = if_not_exists(consecutiveFailures, :zero) + :one, lastFailure = :failure',
          ExpressionAttributeValues: {
            ':slot': slot,
            ':zero': 0,
            ':one': 1,
            ':failure': { at: outcome.at, detail: (outcome.detail ?? '').slice(0, 500) },
          },
        };
    let written: Record<string, unknown> | undefined;
    const applied = await conditionally(
      this.db
        .send(
          new UpdateCommand({
            TableName: this.table,
            Key: pollLogKey(partnerId),
            ...update,
            ConditionExpression: 'attribute_not_exists(slot) OR slot < :slot',
            ReturnValues: 'ALL_NEW',
          }),
        )
        .then((r) => {
          written = r.Attributes;
        }),
    );
    if (applied) return written!.consecutiveFailures as number;
    return (await this.get(partnerId))?.consecutiveFailures ?? 0;
  }

  async get(partnerId: string): Promise<PollStatus | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: pollLogKey(partnerId), ConsistentRead: true }),
    );
    return Item ? status(Item) : undefined;
  }

  async list(): Promise<PollStatus[]> {
    const items = await queryPartition(this.db, {
      table: this.table,
      pk: POLL_LOG_PARTITION,
      consistent: true,
    });
    return items.map(status);
  }
}
