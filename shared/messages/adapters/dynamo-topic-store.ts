import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { conditionally } from '../../aws/conditional-write.ts';
import { RevisionConflictError } from '../../kernel/revision.ts';
import type { TopicStore } from '../ports.ts';
import type { StoredTopic, Topic } from '../topic.ts';
import { TOPICS_PARTITION, topicKey } from './messages-keys.ts';

const stored = (item: Record<string, unknown>): StoredTopic => ({
  ...(item.topic as Topic),
  revision: item.revision as number,
  updatedAt: item.updatedAt as string,
});

/** Topics in the messages table, one item each under `TOPICS`, written over the revision read. */
export class DynamoTopicStore implements TopicStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(name: string): Promise<StoredTopic | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: topicKey(name), ConsistentRead: true }),
    );
    return Item ? stored(Item) : undefined;
  }

  async list(): Promise<StoredTopic[]> {
    const topics: StoredTopic[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': TOPICS_PARTITION },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) topics.push(stored(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return topics;
  }

  async put(topic: Topic, expectedRevision?: number): Promise<StoredTopic> {
    const current = await this.get(topic.name);
    const seen = current?.revision ?? 0;
    if (expectedRevision !== undefined && seen !== expectedRevision) {
      throw new RevisionConflictError(`revision is ${seen}, not ${expectedRevision}`);
    }
    const next: StoredTopic = { ...topic, revision: seen + 1, updatedAt: new Date().toISOString() };
    const written = await conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...topicKey(topic.name),
            kind: 'topic',
            topic,
            revision: next.revision,
            updatedAt: next.updatedAt,
          },
          ...(current
            ? { ConditionExpression: 'revision = :seen', ExpressionAttributeValues: { ':seen': seen } }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }),
      ),
    );
    if (!written) throw new RevisionConflictError('changed concurrently');
    return next;
  }

  async delete(name: string): Promise<boolean> {
    const { Attributes } = await this.db.send(
      new DeleteCommand({ TableName: this.table, Key: topicKey(name), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }
}
