import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { App, StoredCredential } from '../model.ts';
import { AlreadyExistsError, type AppStore } from '../ports.ts';

const appKey = (appId: string) => ({ pk: `APP#${appId}`, sk: 'APP' });
const credentialKey = (clientId: string) => ({ pk: `CLIENT#${clientId}`, sk: 'CLIENT' });

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
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { ...appKey(app.appId), kind: 'app', ...app },
                ConditionExpression: absent,
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { ...credentialKey(credential.clientId), kind: 'credential', ...credential },
                ConditionExpression: absent,
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException)
        throw new AlreadyExistsError('app or client id taken');
      throw error;
    }
  }

  async getApp(appId: string): Promise<App | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: appKey(appId) }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, kind: _kind, ...app } = Item;
    return app as App;
  }

  async getCredential(clientId: string): Promise<StoredCredential | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: credentialKey(clientId) }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, kind: _kind, ...credential } = Item;
    return credential as StoredCredential;
  }
}
