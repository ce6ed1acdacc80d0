import { MemoryKeyStores } from './memory-stores.ts';
import { signingKeyStoreContract } from './signing-key-store.contract.ts';

signingKeyStoreContract('MemoryKeyStores', async () => new MemoryKeyStores());
