import { SecretsManagerSigningKeyStore } from '../../shared/identity/adapters/signing-key-stores.ts';
import { signingKeyStoreContract } from '../../shared/identity/testing/signing-key-store.contract.ts';
import { aws } from '../support/platform.ts';
import { freshSecrets } from './fresh-resources.ts';

// The secret starts as the DataStack creates it.
const secret = freshSecrets('signing-keys', '{"keys":[]}');

signingKeyStoreContract(
  'SecretsManagerSigningKeyStore (emulator)',
  async () => new SecretsManagerSigningKeyStore(aws().secrets, await secret()),
);
