import { gatewayStateStoreContract } from './gateway-state-store.contract.ts';
import { MemoryStateStore } from './memory-state-store.ts';

gatewayStateStoreContract('MemoryStateStore', async (clock) => new MemoryStateStore(clock));
