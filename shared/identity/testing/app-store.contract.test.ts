import { appStoreContract } from './app-store.contract.ts';
import { MemoryAppStore } from './memory-stores.ts';

appStoreContract('MemoryAppStore', async () => {
  const store = new MemoryAppStore();
  return {
    store,
    setDeveloperStatus: async (developerId, status) => {
      store.developerStatuses.set(developerId, status);
    },
  };
});
