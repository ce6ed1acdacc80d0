import { DynamoNonceStore } from '../../shared/identity/adapters/dynamo-nonce-store.ts';
import { nonceStoreContract } from '../../shared/identity/testing/nonce-store.contract.ts';
import { aws } from '../support/platform.ts';
import { freshTables } from './fresh-resources.ts';

const table = freshTables('nonces');

nonceStoreContract(
  'DynamoNonceStore (emulator)',
  async (clock) => new DynamoNonceStore(aws().document, await table(), clock),
);
