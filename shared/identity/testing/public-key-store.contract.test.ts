import { MemoryKeyStores } from './memory-stores.ts';
import { publicKeyStoreContract } from './public-key-store.contract.ts';

publicKeyStoreContract('MemoryKeyStores.publicKeys', async () => new MemoryKeyStores().publicKeys);
