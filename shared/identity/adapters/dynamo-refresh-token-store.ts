import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '../../kernel/time.ts';
import type { RefreshTokenStore, RotationResult } from '../ports.ts';
import type { RefreshTokenRecord } from '../token-records.ts';
import { stripKeys } from './identity-items.ts';
import { familyKey, refreshTokenKey } from './identity-keys.ts';

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
            Put: {
              TableName: this.table,
              Item: { ...refreshTokenKey(record.hash), kind: 'refresh', ...record },
            },
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
      new GetCommand({ TableName: this.table, Key: refreshTokenKey(hash), ConsistentRead: true }),
    );
    return Item ? stripKeys<RefreshTokenRecord>(Item) : undefined;
  }

  async rotate(
    hash: string,
    next: (previous: RefreshTokenRecord) => RefreshTokenRecord,
    now: Date,
  ): Promise<RotationResult> {
    const previous = await this.get(hash);
    if (!previous || previous.expiresAt <= epochSeconds(now)) return { outcome: 'invalid' };
    if (previous.status === 'used') return { outcome: 'reused', previous };
    const successor = next(previous);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: refreshTokenKey(hash),
                UpdateExpression: 'SET #status = :used, usedAt = :at',
                ConditionExpression: '#status = :active',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':used': 'used', ':active': 'active', ':at': now.toISOString() },
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { ...refreshTokenKey(successor.hash), kind: 'refresh', ...successor },
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
