import { DynamoTokenStore } from '../../shared/identity/adapters/dynamo-token-store.ts';
import { tokenStoreContract } from '../../shared/identity/testing/token-store.contract.ts';
import { aws } from '../support/platform.ts';
import { freshTables } from './fresh-resources.ts';

const table = freshTables('tokens');

tokenStoreContract(
  'DynamoTokenStore (emulator)',
  async () => new DynamoTokenStore(aws().document, await table()),
);
