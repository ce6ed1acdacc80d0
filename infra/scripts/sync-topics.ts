import path from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoTopicStore } from '../../shared/messages/adapters/dynamo-topic-store.ts';
import { createMissingTopics, readTopicFiles } from '../../shared/messages/adapters/topic-files.ts';
import { REPO_ROOT } from '../repo-root.ts';

/**
 * Creates the topics of events/topics/ that a deployed Portico lacks, with the caller's AWS credentials.
 * Topics already there are left as the console last wrote them.
 */
const { values } = parseArgs({ options: { table: { type: 'string' } } });
if (!values.table) {
  console.error('usage: npm run topics:sync -- --table <PorticoData.MessagesTableName>');
  process.exit(2);
}
const store = new DynamoTopicStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), values.table);
const topics = readTopicFiles(path.join(REPO_ROOT, 'events', 'topics'));
const created = await createMissingTopics(store, topics);
console.log(JSON.stringify({ files: topics.map((t) => t.name), created }, null, 2));
