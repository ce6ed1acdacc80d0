import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '../../aws/dynamo-cursor.ts';
import { randomToken } from '../../crypto/random.ts';
import type { PageRequest } from '../../kernel/page.ts';
import type {
  AuthorizationStore,
  RedeemResult,
  RefreshTokenStore,
  RotationResult,
  TokenStore,
} from '../ports.ts';
import type {
  AccessTokenRecord,
  AuthorizationCodeRecord,
  AuthorizationRequest,
  RefreshTokenRecord,
  Revocation,
} from '../token-records.ts';

const epoch = (d: Date) => Math.floor(d.getTime() / 1000);
/** The longest an access token can live (seconds): feed entries need not outlive it. */
const MAX_TOKEN_LIFETIME = 86_400;
const REVOKED_PK = 'REVOKED';
const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, kind: _kind, ...rest } = item;
  return rest as T;
};

/** Access-token records (in the app's item collection) and the revocation feed, in the identity table. */
export class DynamoTokenStore implements TokenStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async recordAccessToken(record: AccessTokenRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `APP#${record.appId}`, sk: `TOKEN#${record.jti}`, kind: 'token', ...record },
      }),
    );
  }

  async getAccessToken(appId: string, jti: string): Promise<AccessTokenRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `APP#${appId}`, sk: `TOKEN#${jti}` },
        ConsistentRead: true,
      }),
    );
    return Item ? strip<AccessTokenRecord>(Item) : undefined;
  }

  async listAccessTokens(appId: string, now: Date): Promise<AccessTokenRecord[]> {
    const items: AccessTokenRecord[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          FilterExpression: 'expiresAt > :now',
          ExpressionAttributeValues: { ':pk': `APP#${appId}`, ':prefix': 'TOKEN#', ':now': epoch(now) },
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []).map((i) => strip<AccessTokenRecord>(i)));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  async pageAccessTokens(appId: string, now: Date, { limit, cursor }: PageRequest) {
    const scope = `tokens:APP#${appId}`;
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: 'expiresAt > :now',
        ExpressionAttributeValues: { ':pk': `APP#${appId}`, ':prefix': 'TOKEN#', ':now': epoch(now) },
        Limit: limit,
        ExclusiveStartKey: decodeCursor(scope, cursor),
      }),
    );
    const next = encodeCursor(scope, page.LastEvaluatedKey);
    return {
      items: (page.Items ?? []).map((i) => strip<AccessTokenRecord>(i)),
      ...(next ? { next } : {}),
    };
  }

  async revokeAccessTokens(
    tokens: Pick<AccessTokenRecord, 'appId' | 'jti' | 'expiresAt'>[],
    now: Date,
  ): Promise<void> {
    const at = now.toISOString();
    for (const token of tokens) {
      await this.db
        .send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: `APP#${token.appId}`, sk: `TOKEN#${token.jti}` },
            UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':at': at },
          }),
        )
        .catch((error) => {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        });
    }
    await this.publish(
      tokens.map((t) => ({
        entry: { kind: 'token', jti: t.jti, appId: t.appId, at } satisfies Revocation,
        expiresAt: t.expiresAt,
      })),
    );
  }

  async revokeAllForApp(appId: string, now: Date): Promise<void> {
    const at = now.toISOString();
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `APP#${appId}`, sk: 'TOKENS_NOT_BEFORE', kind: 'not-before', notBefore: epoch(now), at },
      }),
    );
    await this.publish([
      {
        entry: { kind: 'app', appId, notBefore: epoch(now), at },
        expiresAt: epoch(now) + MAX_TOKEN_LIFETIME,
      },
    ]);
  }

  async appNotBefore(appId: string): Promise<number | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `APP#${appId}`, sk: 'TOKENS_NOT_BEFORE' },
        ConsistentRead: true,
      }),
    );
    return Item?.notBefore as number | undefined;
  }

  private async publish(entries: { entry: Revocation; expiresAt: number }[]): Promise<void> {
    for (let i = 0; i < entries.length; i += 25) {
      await this.db.send(
        new BatchWriteCommand({
          RequestItems: {
            [this.table]: entries.slice(i, i + 25).map(({ entry, expiresAt }) => ({
              PutRequest: {
                Item: {
                  pk: REVOKED_PK,
                  sk: `${entry.at}#${randomToken(6)}`,
                  kind: 'revocation',
                  entry,
                  expiresAt,
                },
              },
            })),
          },
        }),
      );
    }
  }

  async revocationsSince(cursor: string | undefined, now: Date) {
    const entries: Revocation[] = [];
    let last = cursor;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: cursor ? 'pk = :pk AND sk > :cursor' : 'pk = :pk',
          FilterExpression: 'expiresAt > :now',
          ExpressionAttributeValues: {
            ':pk': REVOKED_PK,
            ':now': epoch(now),
            ...(cursor ? { ':cursor': cursor } : {}),
          },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        entries.push(item.entry as Revocation);
        last = item.sk as string;
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
      if (ExclusiveStartKey) last = ExclusiveStartKey.sk as string;
    } while (ExclusiveStartKey);
    return { entries, cursor: last };
  }

  async countUse(appId: string, jti: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `APP#${appId}`, sk: `TOKEN#${jti}` },
          UpdateExpression: 'ADD uses :one',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(revokedAt) AND (attribute_not_exists(uses) OR uses < maxUses)',
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

const refreshKey = (hash: string) => ({ pk: `RT#${hash}`, sk: 'RT' });
const familyKey = (appId: string, familyId: string) => ({ pk: `APP#${appId}`, sk: `FAMILY#${familyId}` });

/** Refresh tokens (stored by hash) and their families, in the identity table. */
export class DynamoRefreshTokenStore implements RefreshTokenStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async save(record: RefreshTokenRecord): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: { TableName: this.table, Item: { ...refreshKey(record.hash), kind: 'refresh', ...record } },
          },
          {
            Put: {
              TableName: this.table,
              Item: {
                ...familyKey(record.appId, record.familyId),
                kind: 'family',
                createdAt: record.createdAt,
                expiresAt: record.expiresAt,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  }

  async get(hash: string): Promise<RefreshTokenRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: refreshKey(hash), ConsistentRead: true }),
    );
    return Item ? strip<RefreshTokenRecord>(Item) : undefined;
  }

  async rotate(
    hash: string,
    next: (previous: RefreshTokenRecord) => RefreshTokenRecord,
    now: Date,
  ): Promise<RotationResult> {
    const previous = await this.get(hash);
    if (!previous || previous.expiresAt <= epoch(now)) return { outcome: 'invalid' };
    if (previous.status === 'used') return { outcome: 'reused', previous };
    const successor = next(previous);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: refreshKey(hash),
                UpdateExpression: 'SET #status = :used, usedAt = :at',
                ConditionExpression: '#status = :active',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':used': 'used', ':active': 'active', ':at': now.toISOString() },
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { ...refreshKey(successor.hash), kind: 'refresh', ...successor },
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: familyKey(previous.appId, previous.familyId),
                UpdateExpression: 'SET expiresAt = :exp',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
                ExpressionAttributeValues: { ':exp': successor.expiresAt },
              },
            },
          ],
        }),
      );
      return { outcome: 'rotated', previous };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [tokenCheck] = error.CancellationReasons ?? [];
      // A concurrent use won the race: that is a reuse of this token.
      if (tokenCheck?.Code === 'ConditionalCheckFailed') return { outcome: 'reused', previous };
      return { outcome: 'invalid' };
    }
  }

  async revokeFamily(appId: string, familyId: string, now: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: familyKey(appId, familyId),
        UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
        ExpressionAttributeValues: { ':at': now.toISOString() },
      }),
    );
  }

  async isFamilyRevoked(appId: string, familyId: string): Promise<boolean> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: familyKey(appId, familyId), ConsistentRead: true }),
    );
    return !Item || Item.revokedAt !== undefined;
  }
}

/** Pending authorization requests (the consent step) and authorization codes, in the identity table. */
export class DynamoAuthorizationStore implements AuthorizationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async saveRequest(request: AuthorizationRequest): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `AUTHZ#${request.id}`, sk: 'AUTHZ', kind: 'authz', ...request },
      }),
    );
  }

  async getRequest(id: string, now: Date): Promise<AuthorizationRequest | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: `AUTHZ#${id}`, sk: 'AUTHZ' },
        ConsistentRead: true,
      }),
    );
    if (!Item || (Item.expiresAt as number) <= epoch(now)) return undefined;
    return strip<AuthorizationRequest>(Item);
  }

  async deleteRequest(id: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: { pk: `AUTHZ#${id}`, sk: 'AUTHZ' } }));
  }

  async saveCode(code: AuthorizationCodeRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `CODE#${code.hash}`, sk: 'CODE', kind: 'code', ...code },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async redeemCode(hash: string, clientId: string, now: Date): Promise<RedeemResult> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `CODE#${hash}`, sk: 'CODE' },
          UpdateExpression: 'SET usedAt = :at',
          ConditionExpression:
            'attribute_exists(pk) AND clientId = :client AND attribute_not_exists(usedAt) AND expiresAt > :now',
          ExpressionAttributeValues: { ':at': now.toISOString(), ':now': epoch(now), ':client': clientId },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { outcome: 'redeemed', code: strip<AuthorizationCodeRecord>(Attributes!) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // (The item on the error is not unmarshalled by the document client: read it back instead.)
      const { Item } = await this.db.send(
        new GetCommand({
          TableName: this.table,
          Key: { pk: `CODE#${hash}`, sk: 'CODE' },
          ConsistentRead: true,
        }),
      );
      if (Item?.usedAt && Item.clientId === clientId)
        return { outcome: 'replayed', code: strip<AuthorizationCodeRecord>(Item as never) };
      return { outcome: 'invalid' };
    }
  }

  async setCodeFamily(hash: string, familyId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `CODE#${hash}`, sk: 'CODE' },
        UpdateExpression: 'SET familyId = :f',
        ExpressionAttributeValues: { ':f': familyId },
      }),
    );
  }
}
