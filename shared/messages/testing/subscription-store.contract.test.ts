import { MemorySubscriptionStore } from './memory-stores.ts';
import { subscriptionStoreContract } from './subscription-store.contract.ts';

subscriptionStoreContract('MemorySubscriptionStore', async () => new MemorySubscriptionStore());
