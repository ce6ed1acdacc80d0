import { DynamoAuthorizationStore } from '../../shared/identity/adapters/dynamo-authorization-store.ts';
import { authorizationStoreContract } from '../../shared/identity/testing/authorization-store.contract.ts';
import { aws } from '../support/platform.ts';
import { freshTables } from './fresh-resources.ts';

const table = freshTables('authz');

authorizationStoreContract(
  'DynamoAuthorizationStore (emulator)',
  async () => new DynamoAuthorizationStore(aws().document, await table()),
);
