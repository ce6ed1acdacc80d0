import { MemoryRefreshTokenStore } from './memory-token-stores.ts';
import { refreshTokenStoreContract } from './refresh-token-store.contract.ts';

refreshTokenStoreContract('MemoryRefreshTokenStore', async () => new MemoryRefreshTokenStore());
