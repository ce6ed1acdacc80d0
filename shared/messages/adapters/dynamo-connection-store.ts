import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ConnectionStore } from '../ports.ts';
import { isLive, type StreamConnection, type StreamListener } from '../stream-connection.ts';
import { connectionKey, listenerKey, listenersOf } from './messages-keys.ts';

/** A transaction holds at most 100 items. */
const TRANSACTION_ITEMS = 100;

/** The TTL attribute counts whole seconds; the record says to the millisecond when it ends. */
const expiry = (expiresAtMs: number) => ({ expiresAt: Math.ceil(expiresAtMs / 1000), expiresAtMs });

/**
 * Stream connections in the messages table: `CONN#<id>` holds the connection, `LISTEN#<subscription>`
 * one item per connection listening to it (what a push reads). Both expire (TTL) when API Gateway
 * would have closed the connection; readers skip expired ones themselves.
 */
export class DynamoConnectionStore implements ConnectionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(connection: StreamConnection): Promise<void> {
    const { connectionId, connectedAt, expiresAt } = connection;
    await this.transact([
      {
        Put: {
          TableName: this.table,
          Item: {
            ...connectionKey(connectionId),
            kind: 'stream-connection',
            connectionId,
            appId: connection.appId,
            subscriptionIds: connection.subscriptionIds,
            connectedAt,
            ...expiry(expiresAt),
          },
        },
      },
      ...connection.subscriptionIds.map((subscriptionId) => ({
        Put: {
          TableName: this.table,
          Item: {
            ...listenerKey(subscriptionId, connectionId),
            kind: 'stream-listener',
            connectionId,
            connectedAt,
            ...expiry(expiresAt),
          },
        },
      })),
    ]);
  }

  async get(connectionId: string, at: number): Promise<StreamConnection | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: connectionKey(connectionId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const connection: StreamConnection = {
      connectionId: Item.connectionId,
      appId: Item.appId,
      subscriptionIds: Item.subscriptionIds,
      connectedAt: Item.connectedAt,
      expiresAt: Item.expiresAtMs,
    };
    return isLive(connection, at) ? connection : undefined;
  }

  async remove(connectionId: string, subscriptionIds: readonly string[] = []): Promise<void> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: connectionKey(connectionId), ConsistentRead: true }),
    );
    const listening = new Set([
      ...((Item?.subscriptionIds as string[] | undefined) ?? []),
      ...subscriptionIds,
    ]);
    await this.transact([
      { Delete: { TableName: this.table, Key: connectionKey(connectionId) } },
      ...[...listening].map((subscriptionId) => ({
        Delete: { TableName: this.table, Key: listenerKey(subscriptionId, connectionId) },
      })),
    ]);
  }

  async listeners(subscriptionId: string, at: number): Promise<StreamListener[]> {
    const { pk, skPrefix } = listenersOf(subscriptionId);
    const found: StreamListener[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
          ConsistentRead: true,
          ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const listener = {
          connectionId: item.connectionId as string,
          connectedAt: item.connectedAt as number,
          expiresAt: item.expiresAtMs as number,
        };
        if (isLive(listener, at)) found.push(listener);
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return found.sort((a, b) => a.connectedAt - b.connectedAt || (a.connectionId < b.connectionId ? -1 : 1));
  }

  private async transact(
    items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>,
  ) {
    for (let i = 0; i < items.length; i += TRANSACTION_ITEMS) {
      await this.db.send(new TransactWriteCommand({ TransactItems: items.slice(i, i + TRANSACTION_ITEMS) }));
    }
  }
}
