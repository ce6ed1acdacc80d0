import { KmsSecretCipher } from '../../shared/identity/adapters/kms-secret-cipher.ts';
import { secretCipherContract } from '../../shared/identity/testing/secret-cipher.contract.ts';
import { aws } from '../support/platform.ts';
import { suiteKey } from './fresh-resources.ts';

const key = suiteKey();

secretCipherContract('KmsSecretCipher (emulator)', async () => new KmsSecretCipher(aws().kms, await key()));
