import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally } from '../../aws/conditional-write.ts';
import { queryPartition } from '../../aws/query-partition.ts';
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
    return (await queryPartition(this.db, { table: this.table, pk: TOPICS_PARTITION })).map(stored);
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
