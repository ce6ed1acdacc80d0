import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { conditionally } from '../../aws/conditional-write.ts';
import { decodeCursor, encodeCursor } from '../../aws/dynamo-cursor.ts';
import { randomToken } from '../../crypto/random.ts';
import type { PageRequest } from '../../kernel/page.ts';
import { epochSeconds } from '../../kernel/time.ts';
import type { TokenStore } from '../ports.ts';
import type { AccessTokenRecord, Revocation } from '../token-records.ts';
import { stripKeys } from './identity-items.ts';
import { accessTokenKey, accessTokensOf, notBeforeKey, REVOKED_PK } from './identity-keys.ts';

/** The longest an access token can live (seconds): feed entries need not outlive it. */
const MAX_TOKEN_LIFETIME = 86_400;

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
        Item: { ...accessTokenKey(record.appId, record.jti), kind: 'token', ...record },
      }),
    );
  }

  async getAccessToken(appId: string, jti: string): Promise<AccessTokenRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: accessTokenKey(appId, jti),
        ConsistentRead: true,
      }),
    );
    return Item ? stripKeys<AccessTokenRecord>(Item) : undefined;
  }

  /** One Query of the app's unexpired token records (expired ones are filtered, TTL or not). */
  private async queryTokens(appId: string, now: Date, startKey?: Record<string, unknown>, limit?: number) {
    const { pk, skPrefix } = accessTokensOf(appId);
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: 'expiresAt > :now',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix, ':now': epochSeconds(now) },
        ...(limit ? { Limit: limit } : {}),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    return {
      items: (page.Items ?? []).map((i) => stripKeys<AccessTokenRecord>(i)),
      last: page.LastEvaluatedKey,
    };
  }

  async listAccessTokens(appId: string, now: Date): Promise<AccessTokenRecord[]> {
    const items: AccessTokenRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.queryTokens(appId, now, startKey);
      items.push(...page.items);
      startKey = page.last;
    } while (startKey);
    return items;
  }

  async pageAccessTokens(appId: string, now: Date, { limit, cursor }: PageRequest) {
    const { pk } = accessTokensOf(appId);
    const scope = `tokens:${pk}`;
    const page = await this.queryTokens(appId, now, decodeCursor(scope, cursor, ['pk', 'sk'], { pk }), limit);
    const next = encodeCursor(scope, page.last);
    return { items: page.items, ...(next ? { next } : {}) };
  }

  async revokeAccessTokens(
    tokens: Pick<AccessTokenRecord, 'appId' | 'jti' | 'expiresAt'>[],
    now: Date,
  ): Promise<void> {
    const at = now.toISOString();
    for (const token of tokens) {
      // A token record already gone (expired and removed) needs no mark: the feed entry still goes out.
      await conditionally(
        this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: accessTokenKey(token.appId, token.jti),
            UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':at': at },
          }),
        ),
      );
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
        Item: {
          ...notBeforeKey(appId),
          kind: 'not-before',
          notBefore: epochSeconds(now),
          at,
        },
      }),
    );
    await this.publish([
      {
        entry: { kind: 'app', appId, notBefore: epochSeconds(now), at },
        expiresAt: epochSeconds(now) + MAX_TOKEN_LIFETIME,
      },
    ]);
  }

  async appNotBefore(appId: string): Promise<number | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: notBeforeKey(appId),
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
            ':now': epochSeconds(now),
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
    return conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: accessTokenKey(appId, jti),
          UpdateExpression: 'ADD uses :one',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(revokedAt) AND (attribute_not_exists(uses) OR uses < maxUses)',
          ExpressionAttributeValues: { ':one': 1 },
        }),
      ),
    );
  }
}
