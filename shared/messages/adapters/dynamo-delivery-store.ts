import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally } from '../../aws/conditional-write.ts';
import { decodeCursor, encodeCursor } from '../../aws/dynamo-cursor.ts';
import type { Page, PageRequest } from '../../kernel/page.ts';
import { epochSeconds } from '../../kernel/time.ts';
import { type AttemptRecord, type Delivery, type DeliveryStatus, queuedOrderTime } from '../delivery.ts';
import type { DeliveryQuery, DeliveryStore } from '../ports.ts';
import {
  appDeliveriesIndex,
  attemptKey,
  attemptsOf,
  byCreation,
  byStatusTime,
  deliveryKey,
  fromTime,
  subscriptionStatusIndex,
} from './messages-keys.ts';

const strip = <T>(item: Record<string, unknown>): T => {
  const {
    pk: _pk,
    sk: _sk,
    kind: _kind,
    expiresAt: _expiresAt,
    gsi1pk: _g1,
    gsi1sk: _s1,
    gsi2pk: _g2,
    gsi2sk: _s2,
    ...rest
  } = item;
  return rest as T;
};

/** Where a delivery shows in its app's listing (gsi1) and its subscription's status listing (gsi2). */
const indexKeys = (d: Delivery) => ({
  gsi1pk: appDeliveriesIndex(d.appId),
  gsi1sk: byCreation(d.createdAt, d.deliveryId),
  gsi2pk: subscriptionStatusIndex(d.subscriptionId, d.status),
  gsi2sk: byStatusTime(queuedOrderTime(d), d.deliveryId),
});

const FILTERS = {
  topic: 'topic',
  status: 'status',
  subscriptionId: 'subscriptionId',
} as const;

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
            ...indexKeys(delivery),
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

  async listByApp(
    appId: string,
    query: DeliveryQuery,
    { limit, cursor }: PageRequest,
  ): Promise<Page<Delivery>> {
    const gsi1pk = appDeliveriesIndex(appId);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':p': gsi1pk, ':from': fromTime(query.since ?? 0) };
    const filters: string[] = [];
    for (const [field, attribute] of Object.entries(FILTERS)) {
      const value = query[field as keyof typeof FILTERS];
      if (value === undefined) continue;
      names[`#${field}`] = attribute;
      values[`:${field}`] = value;
      filters.push(`#${field} = :${field}`);
    }
    // The upper bound sorts after every id created in its millisecond.
    values[':to'] = `${fromTime(query.until ?? 999_999_999_999_999)}#~`;
    return this.page(
      `deliveries:${gsi1pk}`,
      cursor,
      ['gsi1pk', 'gsi1sk'],
      { gsi1pk },
      {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p AND gsi1sk BETWEEN :from AND :to',
        ...(filters.length > 0
          ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names }
          : {}),
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: limit,
      },
    );
  }

  listBySubscription(
    subscriptionId: string,
    status: DeliveryStatus,
    range: { from?: number; to?: number },
    { limit, cursor }: PageRequest,
  ): Promise<Page<Delivery>> {
    const gsi2pk = subscriptionStatusIndex(subscriptionId, status);
    return this.page(
      `deliveries:${gsi2pk}`,
      cursor,
      ['gsi2pk', 'gsi2sk'],
      { gsi2pk },
      {
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :p AND gsi2sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':p': gsi2pk,
          ':from': fromTime(range.from ?? 0),
          ':to': `${fromTime(range.to ?? 999_999_999_999_999)}#~`,
        },
        Limit: limit,
      },
    );
  }

  private async page(
    scope: string,
    cursor: string | undefined,
    indexKeyNames: string[],
    partition: Record<string, string>,
    params: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>,
  ): Promise<Page<Delivery>> {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        ...params,
        ExclusiveStartKey: decodeCursor(scope, cursor, ['pk', 'sk', ...indexKeyNames], partition),
      }),
    );
    return {
      items: (page.Items ?? []).map((item) => strip<Delivery>(item)),
      next: encodeCursor(scope, page.LastEvaluatedKey),
    };
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
