import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally } from '../../aws/conditional-write.ts';
import { epochSeconds } from '../../kernel/time.ts';
import type { NonceStore } from '../ports.ts';
import { nonceKey } from './identity-keys.ts';

/**
 * Nonces of signed requests, one item each: `pk = NONCE#<clientId>#<nonce>`, `sk = NONCE`,
 * `expiresAt` (epoch seconds, the table's TTL attribute). TTL deletion is lazy (and the local
 * emulator never deletes), so an expired item is overwritten rather than counted as a replay.
 */
export class DynamoNonceStore implements NonceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: () => number = Date.now,
  ) {}

  async remember(clientId: string, nonce: string, expiresAt: Date): Promise<boolean> {
    return conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...nonceKey(clientId, nonce),
            expiresAt: epochSeconds(expiresAt.getTime()),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': epochSeconds(this.clock()) },
        }),
      ),
    );
  }
}
