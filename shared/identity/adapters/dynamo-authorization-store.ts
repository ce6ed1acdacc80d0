import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '../../kernel/time.ts';
import type { AuthorizationStore, RedeemResult } from '../ports.ts';
import type { AuthorizationCodeRecord, AuthorizationRequest } from '../token-records.ts';
import { stripKeys } from './identity-items.ts';
import { authorizationCodeKey, authorizationRequestKey } from './identity-keys.ts';

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
        Item: { ...authorizationRequestKey(request.id), kind: 'authz', ...request },
      }),
    );
  }

  async getRequest(id: string, now: Date): Promise<AuthorizationRequest | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: authorizationRequestKey(id),
        ConsistentRead: true,
      }),
    );
    if (!Item || (Item.expiresAt as number) <= epochSeconds(now)) return undefined;
    return stripKeys<AuthorizationRequest>(Item);
  }

  async deleteRequest(id: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: authorizationRequestKey(id) }));
  }

  async saveCode(code: AuthorizationCodeRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...authorizationCodeKey(code.hash), kind: 'code', ...code },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async redeemCode(hash: string, clientId: string, now: Date): Promise<RedeemResult> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: authorizationCodeKey(hash),
          UpdateExpression: 'SET usedAt = :at',
          ConditionExpression:
            'attribute_exists(pk) AND clientId = :client AND attribute_not_exists(usedAt) AND expiresAt > :now',
          ExpressionAttributeValues: {
            ':at': now.toISOString(),
            ':now': epochSeconds(now),
            ':client': clientId,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { outcome: 'redeemed', code: stripKeys<AuthorizationCodeRecord>(Attributes!) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // (The item on the error is not unmarshalled by the document client: read it back instead.)
      const { Item } = await this.db.send(
        new GetCommand({
          TableName: this.table,
          Key: authorizationCodeKey(hash),
          ConsistentRead: true,
        }),
      );
      if (Item?.usedAt && Item.clientId === clientId)
        return { outcome: 'replayed', code: stripKeys<AuthorizationCodeRecord>(Item as never) };
      return { outcome: 'invalid' };
    }
  }

  async setCodeFamily(hash: string, familyId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: authorizationCodeKey(hash),
        UpdateExpression: 'SET familyId = :f',
        ExpressionAttributeValues: { ':f': familyId },
      }),
    );
  }
}
