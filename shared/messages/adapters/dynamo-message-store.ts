import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally } from '../../aws/conditional-write.ts';
import type { Message } from '../message.ts';
import type { MessageStore } from '../ports.ts';
import { messageKey } from './messages-keys.ts';

/** Business events as accepted, in the messages table; see docs/data-model.md. */
export class DynamoMessageStore implements MessageStore {
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
          Item: { ...messageKey(message.messageId), ...message },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return stored ? 'stored' : 'duplicate';
  }

  async get(messageId: string): Promise<Message | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: messageKey(messageId) }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...message } = Item;
    return message as Message;
  }
}
