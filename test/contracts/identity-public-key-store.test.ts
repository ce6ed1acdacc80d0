import { DynamoPublicKeyStore } from '../../shared/identity/adapters/signing-key-stores.ts';
import { publicKeyStoreContract } from '../../shared/identity/testing/public-key-store.contract.ts';
import { aws } from '../support/platform.ts';
import { freshTables } from './fresh-resources.ts';

const table = freshTables('jwks');

publicKeyStoreContract(
  'DynamoPublicKeyStore (emulator)',
  async () => new DynamoPublicKeyStore(aws().document, await table()),
);
