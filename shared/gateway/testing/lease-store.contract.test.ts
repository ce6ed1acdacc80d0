import { leaseStoreContract } from './lease-store.contract.ts';
import { MemoryLeaseStore } from './memory-lease-store.ts';

leaseStoreContract('MemoryLeaseStore', async () => new MemoryLeaseStore(), {
  concurrentWritesAreAtomic: true,
});
