import { MemoryTokenStore } from './memory-token-stores.ts';
import { tokenStoreContract } from './token-store.contract.ts';

tokenStoreContract('MemoryTokenStore', async () => new MemoryTokenStore());
