import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '../../aws/dynamo-cursor.ts';
import type { AuditEntry } from '../../console/audit.ts';
import { appItem, stripKeys } from '../../identity/adapters/identity-items.ts';
import {
  accessRequestGuardKey,
  accessRequestInboxKey,
  accessRequestKey,
  accessRequestsIndexPk,
  auditKey,
  developerKey,
} from '../../identity/adapters/identity-keys.ts';
import type { App } from '../../identity/model.ts';
import type { Page, PageRequest } from '../../kernel/page.ts';
import type { AccessRequest } from '../access-requests.ts';
import { type AccessRequestStore, ConflictError } from '../ports.ts';

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/**
 * Access requests in the identity table: the request (listed by status on gsi1), a copy in its
 * developer's inbox, and while pending a guard item under the app that keeps a second one out.
 */
export class DynamoAccessRequestStore implements AccessRequestStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private items(request: AccessRequest): TransactItem[] {
    return [
      {
        Put: {
          TableName: this.table,
          Item: {
            ...accessRequestKey(request.requestId),
            kind: 'access-request',
            gsi1pk: accessRequestsIndexPk(request.status),
            gsi1sk: `${request.createdAt}#${request.requestId}`,
            ...request,
          },
        },
      },
      {
        Put: {
          TableName: this.table,
          Item: { ...accessRequestInboxKey(request), kind: 'access-request-inbox', ...request },
        },
      },
    ];
  }

  private audit(entry: AuditEntry): TransactItem {
    return {
      Put: { TableName: this.table, Item: { ...auditKey(entry.at, entry.id), kind: 'audit', ...entry } },
    };
  }

  private async write(items: TransactItem[]): Promise<void> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) throw new ConflictError('changed concurrently');
      throw error;
    }
  }

  async create(request: AccessRequest, audit: AuditEntry): Promise<void> {
    const [main, inbox] = this.items(request);
    await this.write([
      { Put: { ...main!.Put!, ConditionExpression: 'attribute_not_exists(pk)' } },
      inbox!,
      {
        Put: {
          TableName: this.table,
          Item: { ...accessRequestGuardKey(request.appId, request.apiName), requestId: request.requestId },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      // The developer account must still exist when the request lands.
      {
        ConditionCheck: {
          TableName: this.table,
          Key: developerKey(request.developerId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      this.audit(audit),
    ]);
  }

  async get(requestId: string): Promise<AccessRequest | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: accessRequestKey(requestId) }),
    );
    return Item ? stripKeys<AccessRequest>(Item) : undefined;
  }

  async decide(request: AccessRequest, app: App | undefined, previous: App | undefined, audit: AuditEntry) {
    const [main, inbox] = this.items(request);
    await this.write([
      {
        Put: {
          ...main!.Put!,
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'pending' },
        },
      },
      inbox!,
      { Delete: { TableName: this.table, Key: accessRequestGuardKey(request.appId, request.apiName) } },
      ...(app
        ? [
            {
              // Granted onto the app as it was read: a change since (another grant, a disable) wins.
              Put: {
                TableName: this.table,
                Item: appItem(app),
                ConditionExpression: previous?.updatedAt
                  ? 'updatedAt = :was'
                  : 'attribute_exists(pk) AND attribute_not_exists(updatedAt)',
                ...(previous?.updatedAt ? { ExpressionAttributeValues: { ':was': previous.updatedAt } } : {}),
              },
            },
          ]
        : []),
      this.audit(audit),
    ]);
  }

  private async page(
    scope: string,
    key: { index: boolean; partition: string; skPrefix?: string },
    page: PageRequest,
  ): Promise<Page<AccessRequest>> {
    const keys = key.index ? ['pk', 'sk', 'gsi1pk', 'gsi1sk'] : ['pk', 'sk'];
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        ...(key.index ? { IndexName: 'gsi1' } : {}),
        KeyConditionExpression: key.index ? 'gsi1pk = :p' : 'pk = :p AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':p': key.partition, ...(key.skPrefix ? { ':s': key.skPrefix } : {}) },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(
          scope,
          page.cursor,
          keys,
          key.index ? { gsi1pk: key.partition } : { pk: key.partition },
        ),
      }),
    );
    const next = encodeCursor(scope, result.LastEvaluatedKey);
    return {
      items: (result.Items ?? []).map((i) => stripKeys<AccessRequest>(i)),
      ...(next ? { next } : {}),
    };
  }

  listByStatus(status: AccessRequest['status'], page: PageRequest) {
    return this.page(`access-${status}`, { index: true, partition: accessRequestsIndexPk(status) }, page);
  }

  listByDeveloper(developerId: string, page: PageRequest) {
    const { pk } = developerKey(developerId);
    return this.page(`inbox-${developerId}`, { index: false, partition: pk, skPrefix: 'ACCESS#' }, page);
  }
}
