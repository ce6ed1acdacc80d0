import { MemoryNonceStore } from './memory-nonce-store.ts';
import { nonceStoreContract } from './nonce-store.contract.ts';

nonceStoreContract('MemoryNonceStore', async (clock) => new MemoryNonceStore(clock));
