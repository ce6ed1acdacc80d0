import { aggregateStoreContract } from './aggregate-store.contract.ts';
import { MemoryAggregateStore } from './memory-aggregate-store.ts';

aggregateStoreContract('MemoryAggregateStore', async () => new MemoryAggregateStore());
