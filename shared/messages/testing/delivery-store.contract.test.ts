import { deliveryStoreContract } from './delivery-store.contract.ts';
import { MemoryDeliveryStore } from './memory-stores.ts';

deliveryStoreContract('MemoryDeliveryStore', async () => new MemoryDeliveryStore());
