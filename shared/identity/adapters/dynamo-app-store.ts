import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { App, StoredCredential } from '../model.ts';
import { AlreadyExistsError, type AppStore } from '../ports.ts';
import { appItem, credentialItems, stripKeys } from './identity-items.ts';
import { appKey, credentialKey, developerKey } from './identity-keys.ts';

/** Apps and credentials in the identity table; see docs/data-model.md. */
export class DynamoAppStore implements AppStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async createApp(app: App, credential: StoredCredential): Promise<void> {
    const absent = 'attribute_not_exists(pk)';
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [appItem(app), ...credentialItems(credential)].map((Item) => ({
            Put: { TableName: this.table, Item, ConditionExpression: absent },
          })),
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException)
        throw new AlreadyExistsError('app or client id taken');
      throw error;
    }
  }

  /** Writes a platform client as set-up defines it (the web app), replacing what was there. */
  async savePlatformClient(app: App, credential: StoredCredential): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [appItem(app), ...credentialItems(credential)].map((Item) => ({
          Put: { TableName: this.table, Item },
        })),
      }),
    );
  }

  async getApp(appId: string): Promise<App | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: appKey(appId) }));
    return Item ? stripKeys<App>(Item) : undefined;
  }

  async getCredential(clientId: string): Promise<StoredCredential | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: credentialKey(clientId) }),
    );
    return Item ? stripKeys<StoredCredential>(Item) : undefined;
  }

  async developerStatus(developerId: string): Promise<'active' | 'pending' | 'disabled' | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: developerKey(developerId),
        ProjectionExpression: '#s',
        ExpressionAttributeNames: { '#s': 'status' },
      }),
    );
    return Item?.status as 'active' | 'pending' | 'disabled' | undefined;
  }
}
