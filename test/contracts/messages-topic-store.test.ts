import { DynamoTopicStore } from '../../shared/messages/adapters/dynamo-topic-store.ts';
import { topicStoreContract } from '../../shared/messages/testing/topic-store.contract.ts';
import { aws } from '../support/platform.ts';
import { freshTables } from './fresh-resources.ts';

const table = freshTables('topics');

topicStoreContract(
  'DynamoTopicStore (emulator)',
  async () => new DynamoTopicStore(aws().document, await table()),
);
