import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Message } from '../message.ts';

export class DynamoMessageStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Stores a message once: a redelivered event finds it present and changes nothing. */
  async saveOnce(message: Message): Promise<'stored' | 'duplicate'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `MSG#${message.messageId}`, sk: 'MSG', ...message },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'stored';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'duplicate';
      throw error;
    }
  }
}
