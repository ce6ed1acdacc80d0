import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally } from '../../aws/conditional-write.ts';
import type { OnceStore } from '../ports.ts';
import { onceKey } from './partners-keys.ts';

/**
 * Claims as conditional puts: the first wins, and a claim whose time has passed may be taken again
 * (TTL removes the item eventually, and the condition does not wait for it).
 */
export class DynamoOnceStore implements OnceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: () => number = Date.now,
  ) {}

  claim(key: string, expiresAt: number): Promise<boolean> {
    return conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...onceKey(key), kind: 'once', expiresAt: Math.ceil(expiresAt / 1000) },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
          ExpressionAttributeValues: { ':now': Math.floor(this.clock() / 1000) },
        }),
      ),
    );
  }
}
