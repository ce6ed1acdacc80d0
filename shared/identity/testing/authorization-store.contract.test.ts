import { authorizationStoreContract } from './authorization-store.contract.ts';
import { MemoryAuthorizationStore } from './memory-token-stores.ts';

authorizationStoreContract('MemoryAuthorizationStore', async () => new MemoryAuthorizationStore());
