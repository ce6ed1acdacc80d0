import { FakeCipher } from './memory-stores.ts';
import { secretCipherContract } from './secret-cipher.contract.ts';

secretCipherContract('FakeCipher', async () => new FakeCipher());
