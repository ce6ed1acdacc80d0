import { backgroundDynamoDocument, backgroundSecretsManager } from '../../shared/aws/clients.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import {
  DynamoPublicKeyStore,
  SecretsManagerSigningKeyStore,
} from '../../shared/identity/adapters/signing-key-stores.ts';
import { rotateSigningKeys } from '../../shared/identity/rotate-signing-keys.ts';
import { count, createLogger, createMetrics, eventHandler } from '../../shared/observability.ts';

const config = loadSettings(['IDENTITY_TABLE', 'SIGNING_KEYS_SECRET', 'SIGNING_KEY_ROTATION_DAYS']);

const logger = createLogger('signing-key-rotation');
const metrics = createMetrics('signing-key-rotation');

/** Scheduled daily: creates the first signing keys, then rotates them every N days. */
export const handler = eventHandler(
  logger,
  metrics,
  async (): Promise<{ outcome: string; kids: string[] }> => {
    const result = await rotateSigningKeys(
      {
        privateKeys: new SecretsManagerSigningKeyStore(backgroundSecretsManager, config.SIGNING_KEYS_SECRET),
        publicKeys: new DynamoPublicKeyStore(backgroundDynamoDocument, config.IDENTITY_TABLE),
      },
      new Date(),
      config.SIGNING_KEY_ROTATION_DAYS * 86_400_000,
    );
    logger.info('signing keys checked', result);
    count(metrics, 'SigningKeysRotated', result.outcome === 'unchanged' ? 0 : 1);
    return result;
  },
);
