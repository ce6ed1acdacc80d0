import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally } from '../../aws/conditional-write.ts';
import { epochSeconds } from '../../kernel/time.ts';
import type { AttemptRecord, Delivery } from '../delivery.ts';
import type { DeliveryStore } from '../ports.ts';
import { attemptKey, attemptsOf, deliveryKey } from './messages-keys.ts';

const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, kind: _kind, expiresAt: _expiresAt, ...rest } = item;
  return rest as T;
};

/** Deliveries and their attempt logs in the messages table, kept `retentionDays` after their last change. */
export class DynamoDeliveryStore implements DeliveryStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionDays = 30,
  ) {}

  private expiresAt(atMs: number) {
    return epochSeconds(atMs) + this.retentionDays * 86_400;
  }

  async get(deliveryId: string): Promise<Delivery | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: deliveryKey(deliveryId), ConsistentRead: true }),
    );
    return Item ? strip<Delivery>(Item) : undefined;
  }

  async save(delivery: Delivery, expectedVersion: number): Promise<boolean> {
    return conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...deliveryKey(delivery.deliveryId),
            kind: 'delivery',
            ...delivery,
            expiresAt: this.expiresAt(delivery.updatedAt),
          },
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              }),
        }),
      ),
    );
  }

  async appendAttempt(record: AttemptRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...attemptKey(record.deliveryId, record.attempt, record.at),
          kind: 'attempt',
          ...record,
          expiresAt: this.expiresAt(record.at),
        },
      }),
    );
  }

  /** A delivery's attempts, oldest first. */
  async attempts(deliveryId: string): Promise<AttemptRecord[]> {
    const { pk, skPrefix } = attemptsOf(deliveryId);
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
      }),
    );
    return Items.map((item) => strip<AttemptRecord>(item));
  }
}
