import { DynamoRefreshTokenStore } from '../../shared/identity/adapters/dynamo-refresh-token-store.ts';
import { refreshTokenStoreContract } from '../../shared/identity/testing/refresh-token-store.contract.ts';
import { aws } from '../support/platform.ts';
import { freshTables } from './fresh-resources.ts';

const table = freshTables('refresh');

refreshTokenStoreContract(
  'DynamoRefreshTokenStore (emulator)',
  async () => new DynamoRefreshTokenStore(aws().document, await table()),
);
