import { DynamoConsoleStore } from '../../shared/console/adapters/dynamo-console-store.ts';
import { DynamoAppStore } from '../../shared/identity/adapters/dynamo-app-store.ts';
import { appStoreContract } from '../../shared/identity/testing/app-store.contract.ts';
import { aws } from '../support/platform.ts';
import { freshTables } from './fresh-resources.ts';

const table = freshTables('apps');
const audit = (developerId: string) => ({
  id: `aud_${developerId}`,
  at: new Date().toISOString(),
  actor: { subject: 'contract', clientId: 'contract', role: 'admin' },
  action: 'developer.write',
  target: { type: 'developer', id: developerId },
});

appStoreContract('DynamoAppStore (emulator)', async () => {
  const name = await table();
  const consoleStore = new DynamoConsoleStore(aws().document, name);
  return {
    store: new DynamoAppStore(aws().document, name),
    // Developers are written by the console, as on the platform.
    setDeveloperStatus: async (developerId, status) => {
      const developer = {
        developerId,
        name: 'Contract developer',
        email: 'dev@example.com',
        status,
        createdAt: '2030-01-01T00:00:00.000Z',
      };
      if (await consoleStore.getDeveloper(developerId))
        await consoleStore.updateDeveloper(developer, audit(developerId));
      else await consoleStore.createDeveloper(developer, audit(developerId));
    },
  };
});
