import { apiRegistryContract } from './api-registry.contract.ts';
import { MemoryApiRegistry } from './memory-api-registry.ts';

apiRegistryContract('MemoryApiRegistry', async () => new MemoryApiRegistry(), {
  concurrentWritesAreAtomic: true,
});
