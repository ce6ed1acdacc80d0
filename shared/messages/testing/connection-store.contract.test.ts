import { connectionStoreContract } from './connection-store.contract.ts';
import { MemoryConnectionStore } from './memory-stores.ts';

connectionStoreContract('MemoryConnectionStore', async () => new MemoryConnectionStore());
