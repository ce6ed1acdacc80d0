import { backgroundDynamoDocument } from '../../shared/aws/dynamo.ts';
import { backgroundSecretsManager } from '../../shared/aws/secrets-manager.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { eventHandler } from '../../shared/event-handler.ts';
import { IDENTITY_JWKS_KEY, JWKS_KEY } from '../../shared/identity/adapters/identity-keys.ts';
import {
  DynamoPublicKeyStore,
  SecretsManagerSigningKeyStore,
} from '../../shared/identity/adapters/signing-key-stores.ts';
import { rotateSigningKeys } from '../../shared/identity/rotate-signing-keys.ts';
import { count, createLogger, createMetrics } from '../../shared/observability.ts';

const config = loadSettings([
  'IDENTITY_TABLE',
  'SIGNING_KEYS_SECRET',
  'IDENTITY_SIGNING_KEYS_SECRET',
  'SIGNING_KEY_ROTATION_DAYS',
]);

const logger = createLogger('signing-key-rotation');
const metrics = createMetrics('signing-key-rotation');

/** The key sets: access tokens' (token endpoint) and identity tokens' (gateway), each with its JWKS. */
const rings = [
  { name: 'access-tokens', secret: config.SIGNING_KEYS_SECRET, jwks: JWKS_KEY },
  { name: 'identity-tokens', secret: config.IDENTITY_SIGNING_KEYS_SECRET, jwks: IDENTITY_JWKS_KEY },
];

/** Scheduled daily: creates the first signing keys of each set, then rotates them every N days. */
export const handler = eventHandler(logger, metrics, async () => {
  const results: Record<string, { outcome: string; kids: string[] }> = {};
  for (const ring of rings) {
    const result = await rotateSigningKeys(
      {
        privateKeys: new SecretsManagerSigningKeyStore(backgroundSecretsManager, ring.secret),
        publicKeys: new DynamoPublicKeyStore(backgroundDynamoDocument, config.IDENTITY_TABLE, ring.jwks),
      },
      new Date(),
      config.SIGNING_KEY_ROTATION_DAYS * 86_400_000,
    );
    logger.info('signing keys checked', { ring: ring.name, ...result });
    count(metrics, 'SigningKeysRotated', result.outcome === 'unchanged' ? 0 : 1);
    results[ring.name] = result;
  }
  return results;
});
