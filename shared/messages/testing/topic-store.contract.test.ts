import { MemoryTopicStore } from './memory-stores.ts';
import { topicStoreContract } from './topic-store.contract.ts';

topicStoreContract('MemoryTopicStore', async () => new MemoryTopicStore());
