import {
  MemoryHealthStateStore,
  MemoryNoticeStore,
  MemoryOnceStore,
  MemoryPartnerStore,
  MemoryPollLog,
  MemoryTrafficStore,
  MemoryTransitionLog,
} from './memory-stores.ts';
import {
  healthStateStoreContract,
  noticeStoreContract,
  onceStoreContract,
  partnerStoreContract,
  pollLogContract,
  trafficStoreContract,
  transitionLogContract,
} from './partner-stores.contract.ts';

partnerStoreContract('memory', async () => new MemoryPartnerStore());
noticeStoreContract('memory', async () => new MemoryNoticeStore());
healthStateStoreContract('memory', async () => new MemoryHealthStateStore());
onceStoreContract('memory', async (clock) => new MemoryOnceStore(clock));
trafficStoreContract('memory', async () => new MemoryTrafficStore());
pollLogContract('memory', async () => new MemoryPollLog());
transitionLogContract('memory', async () => new MemoryTransitionLog());
