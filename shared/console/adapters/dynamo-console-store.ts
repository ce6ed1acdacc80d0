import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '../../aws/dynamo-cursor.ts';
import { userItems } from '../../identity/adapters/dynamo-user-directory.ts';
import { appItem, credentialItems, stripKeys } from '../../identity/adapters/identity-items.ts';
import {
  APPS_INDEX_PK,
  AUDIT_PK,
  appKey,
  auditKey,
  credentialKey,
  credentialPointerKey,
  credentialsOf,
  DEVELOPERS_INDEX_PK,
  developerKey,
} from '../../identity/adapters/identity-keys.ts';
import type { App, StoredCredential } from '../../identity/model.ts';
import { AlreadyExistsError } from '../../identity/ports.ts';
import type { User } from '../../identity/users.ts';
import type { Page } from '../../kernel/page.ts';
import type { AuditEntry } from '../audit.ts';
import type { Developer } from '../developers.ts';
import { type ConsoleStore, NotFoundError } from '../ports.ts';

type Item = Record<string, unknown>;
type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

const developerItem = (developer: Developer) => ({
  ...developerKey(developer.developerId),
  kind: 'developer',
  gsi1pk: DEVELOPERS_INDEX_PK,
  gsi1sk: `${developer.createdAt}#${developer.developerId}`,
  ...developer,
});

/** Console data in the identity table; see docs/data-model.md. */
export class DynamoConsoleStore implements ConsoleStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private auditPut(entry: AuditEntry): TransactItem {
    return {
      Put: {
        TableName: this.table,
        Item: { ...auditKey(entry.at, entry.id), kind: 'audit', ...entry },
      },
    };
  }

  private async write(items: TransactItem[], audit: AuditEntry, onConflict: () => Error): Promise<void> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [...items, this.auditPut(audit)] }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) throw onConflict();
      throw error;
    }
  }

  private put(item: Item, condition: 'absent' | 'present'): TransactItem {
    return {
      Put: {
        TableName: this.table,
        Item: item,
        ConditionExpression: condition === 'absent' ? 'attribute_not_exists(pk)' : 'attribute_exists(pk)',
      },
    };
  }

  private del(key: Item, mustExist = true): TransactItem {
    return {
      Delete: {
        TableName: this.table,
        Key: key,
        ...(mustExist ? { ConditionExpression: 'attribute_exists(pk)' } : {}),
      },
    };
  }

  /** One page of a listing; `scope` names it, so its cursors are refused by every other listing. */
  private async query(
    scope: string,
    params: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>,
    limit: number,
    cursor?: string,
  ) {
    const keys = params.IndexName ? ['pk', 'sk', 'gsi1pk', 'gsi1sk'] : ['pk', 'sk'];
    // Every listing queries the partition named `:p`, of the table or of gsi1.
    const partitionValue = String(params.ExpressionAttributeValues?.[':p']);
    const partition: Record<string, string> = params.IndexName
      ? { gsi1pk: partitionValue }
      : { pk: partitionValue };
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        Limit: limit,
        ExclusiveStartKey: decodeCursor(scope, cursor, keys, partition),
        ...params,
      }),
    );
    return { items: page.Items ?? [], next: encodeCursor(scope, page.LastEvaluatedKey) };
  }

  // Developers

  async createDeveloper(developer: Developer, audit: AuditEntry) {
    const item = developerItem(developer);
    await this.write([this.put(item, 'absent')], audit, () => new AlreadyExistsError('developer id taken'));
  }

  async signUp(developer: Developer, user: User, passwordHash: string, audit: AuditEntry) {
    await this.write(
      [developerItem(developer), ...userItems(user, passwordHash)].map((item) => this.put(item, 'absent')),
      audit,
      () => new AlreadyExistsError('username taken'),
    );
  }

  async getDeveloper(developerId: string) {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: developerKey(developerId) }),
    );
    return Item ? stripKeys<Developer>(Item) : undefined;
  }

  async updateDeveloper(developer: Developer, audit: AuditEntry) {
    const item = developerItem(developer);
    await this.write([this.put(item, 'present')], audit, () => new NotFoundError('no such developer'));
  }

  async deleteDeveloper(developerId: string, audit: AuditEntry) {
    await this.write(
      [this.del(developerKey(developerId))],
      audit,
      () => new NotFoundError('no such developer'),
    );
  }

  async listDevelopers(limit: number, cursor?: string): Promise<Page<Developer>> {
    const page = await this.query(
      'developers',
      {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': DEVELOPERS_INDEX_PK },
      },
      limit,
      cursor,
    );
    return {
      items: page.items.map((i) => stripKeys<Developer>(i)),
      ...(page.next ? { next: page.next } : {}),
    };
  }

  // Apps

  async createApp(app: App, credential: StoredCredential, audit: AuditEntry) {
    await this.write(
      [this.put(appItem(app), 'absent'), ...credentialItems(credential).map((i) => this.put(i, 'absent'))],
      audit,
      () => new AlreadyExistsError('app or client id taken'),
    );
  }

  async updateApp(app: App, audit: AuditEntry) {
    await this.write([this.put(appItem(app), 'present')], audit, () => new NotFoundError('no such app'));
  }

  async deleteApp(app: App, credentials: StoredCredential[], audit: AuditEntry) {
    await this.write(
      [
        this.del(appKey(app.appId)),
        ...credentials.flatMap((c) => [
          this.del(credentialKey(c.clientId), false),
          this.del(credentialPointerKey(c.appId, c.clientId), false),
        ]),
      ],
      audit,
      () => new NotFoundError('no such app'),
    );
  }

  async listApps(limit: number, cursor?: string, developerId?: string): Promise<Page<App>> {
    const page = await this.query(
      'apps',
      {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ...(developerId
          ? {
              FilterExpression: 'developerId = :d',
              ExpressionAttributeValues: { ':p': APPS_INDEX_PK, ':d': developerId },
            }
          : { ExpressionAttributeValues: { ':p': APPS_INDEX_PK } }),
      },
      limit,
      cursor,
    );
    return { items: page.items.map((i) => stripKeys<App>(i)), ...(page.next ? { next: page.next } : {}) };
  }

  async countApps(developerId: string): Promise<number> {
    let count = 0;
    let cursor: string | undefined;
    do {
      const page = await this.listApps(100, cursor, developerId);
      count += page.items.length;
      cursor = page.next;
    } while (cursor);
    return count;
  }

  // Credentials

  async listCredentials(appId: string): Promise<StoredCredential[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :cred)',
        ExpressionAttributeValues: { ':pk': credentialsOf(appId).pk, ':cred': credentialsOf(appId).skPrefix },
      }),
    );
    if (Items.length === 0) return [];
    const { Responses } = await this.db.send(
      new BatchGetCommand({
        RequestItems: {
          [this.table]: {
            Keys: Items.map((i) => credentialKey(String(i.sk).slice(credentialsOf(appId).skPrefix.length))),
          },
        },
      }),
    );
    return (Responses?.[this.table] ?? [])
      .map((i) => stripKeys<StoredCredential>(i))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async addCredential(credential: StoredCredential, audit: AuditEntry) {
    await this.write(
      [
        {
          ConditionCheck: {
            TableName: this.table,
            Key: appKey(credential.appId),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        ...credentialItems(credential).map((i) => this.put(i, 'absent')),
      ],
      audit,
      () => new NotFoundError('no such app'),
    );
  }

  async replaceCredential(credential: StoredCredential, audit: AuditEntry) {
    const [item] = credentialItems(credential);
    await this.write([this.put(item!, 'present')], audit, () => new NotFoundError('no such credential'));
  }

  async deleteCredential(credential: StoredCredential, audit: AuditEntry) {
    await this.write(
      [
        this.del(credentialKey(credential.clientId)),
        this.del(credentialPointerKey(credential.appId, credential.clientId), false),
      ],
      audit,
      () => new NotFoundError('no such credential'),
    );
  }

  // Audit

  async appendAudit(entry: AuditEntry) {
    await this.db.send(new PutCommand({ TableName: this.table, Item: this.auditPut(entry).Put!.Item }));
  }

  async listAudit(limit: number, cursor?: string): Promise<Page<AuditEntry>> {
    const page = await this.query(
      'audit',
      {
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': AUDIT_PK },
        ScanIndexForward: false,
      },
      limit,
      cursor,
    );
    return {
      items: page.items.map((i) => stripKeys<AuditEntry>(i)),
      ...(page.next ? { next: page.next } : {}),
    };
  }
}
