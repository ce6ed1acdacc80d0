import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally } from '../../aws/conditional-write.ts';
import type { Message } from '../message.ts';

export class DynamoMessageStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Stores a message once: a redelivered event finds it present and changes nothing. */
  async saveOnce(message: Message): Promise<'stored' | 'duplicate'> {
    const stored = await conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `MSG#${message.messageId}`, sk: 'MSG', ...message },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return stored ? 'stored' : 'duplicate';
  }
}
