import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { conditionally } from '../../aws/conditional-write.ts';
import { decodeCursor, encodeCursor } from '../../aws/dynamo-cursor.ts';
import type { Page, PageRequest } from '../../kernel/page.ts';
import type { SubscriptionTarget } from '../fan-out.ts';
import type { Subscription, SubscriptionStore } from '../ports.ts';
import {
  appSubscriptionsIndex,
  byCreation,
  subscriptionKey,
  subscriptionsOf,
  topicSubscriptionKey,
} from './messages-keys.ts';

const stripped = (item: Record<string, unknown>): Subscription => {
  const { pk: _pk, sk: _sk, kind: _kind, gsi1pk: _g1, gsi1sk: _s1, ...subscription } = item;
  return subscription as unknown as Subscription;
};

const atVersion = (expected: number) => ({
  ConditionExpression: '#version = :expected',
  ExpressionAttributeNames: { '#version': 'version' },
  ExpressionAttributeValues: { ':expected': expected },
});

/** The pointer fan-out reads: written in the same transaction as the subscription, so they never disagree. */
const pointer = ({ subscriptionId, appId, topic, filter, state, mode, ordered }: Subscription) => ({
  ...topicSubscriptionKey(topic, subscriptionId),
  kind: 'topic-subscription',
  subscriptionId,
  appId,
  topic,
  state,
  mode,
  ...(ordered ? { ordered } : {}),
  ...(filter ? { filter } : {}),
});

/** Subscriptions in the messages table, each with a pointer in its topic's item collection. */
export class DynamoSubscriptionStore implements SubscriptionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private async transact(subscription: Subscription, condition: Record<string, unknown>): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...subscriptionKey(subscription.subscriptionId),
                  kind: 'subscription',
                  gsi1pk: appSubscriptionsIndex(subscription.appId),
                  gsi1sk: byCreation(subscription.createdAt, subscription.subscriptionId),
                  ...subscription,
                },
                ...condition,
              },
            },
            { Put: { TableName: this.table, Item: pointer(subscription) } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  create(subscription: Subscription): Promise<boolean> {
    return this.transact(subscription, { ConditionExpression: 'attribute_not_exists(pk)' });
  }

  async get(subscriptionId: string): Promise<Subscription | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: subscriptionKey(subscriptionId), ConsistentRead: true }),
    );
    return Item ? stripped(Item) : undefined;
  }

  save(subscription: Subscription, expectedVersion: number): Promise<boolean> {
    return this.transact(subscription, atVersion(expectedVersion));
  }

  /** The subscription item alone: its topic pointer holds nothing of the health. */
  saveHealth(subscription: Subscription, expectedVersion: number): Promise<boolean> {
    return conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...subscriptionKey(subscription.subscriptionId),
            kind: 'subscription',
            gsi1pk: appSubscriptionsIndex(subscription.appId),
            gsi1sk: byCreation(subscription.createdAt, subscription.subscriptionId),
            ...subscription,
          },
          ...atVersion(expectedVersion),
        }),
      ),
    );
  }

  async delete(subscription: Subscription, expectedVersion: number): Promise<boolean> {
    const { subscriptionId, topic } = subscription;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.table,
                Key: subscriptionKey(subscriptionId),
                ...atVersion(expectedVersion),
              },
            },
            { Delete: { TableName: this.table, Key: topicSubscriptionKey(topic, subscriptionId) } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  async listByApp(appId: string, { limit, cursor }: PageRequest): Promise<Page<Subscription>> {
    const gsi1pk = appSubscriptionsIndex(appId);
    const scope = `subscriptions:${gsi1pk}`;
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': gsi1pk },
        Limit: limit,
        ExclusiveStartKey: decodeCursor(scope, cursor, ['pk', 'sk', 'gsi1pk', 'gsi1sk'], { gsi1pk }),
      }),
    );
    return { items: (page.Items ?? []).map(stripped), next: encodeCursor(scope, page.LastEvaluatedKey) };
  }

  async listByTopic(topic: string): Promise<SubscriptionTarget[]> {
    const { pk, skPrefix } = subscriptionsOf(topic);
    const targets: SubscriptionTarget[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const { subscriptionId, appId, state, filter, mode, ordered } of page.Items ?? []) {
        targets.push({
          subscriptionId,
          appId,
          topic,
          state,
          ...(filter ? { filter } : {}),
          ...(mode ? { mode } : {}),
          ...(ordered ? { ordered } : {}),
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return targets;
  }
}
