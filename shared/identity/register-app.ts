import { newId } from '../crypto/random.ts';
import { bodyValidator } from '../http/validate.ts';
import { clientSecretVerifier, generateClientSecret } from './client-secret.ts';
import { type App, type CredentialEnvironment, SCOPE_PATTERN } from './model.ts';
import type { AppStore, SecretCipher } from './ports.ts';

export interface CreateAppInput {
  name: string;
  description?: string;
  innerId?: string;
  scopes?: string[];
}

export const createAppSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' },
    description: { type: 'string', maxLength: 1000 },
    innerId: { type: 'string', minLength: 1, maxLength: 128 },
    scopes: {
      type: 'array',
      items: { type: 'string', pattern: SCOPE_PATTERN },
      maxItems: 100,
      uniqueItems: true,
    },
  },
  required: ['name'],
  additionalProperties: false,
} as const;

export const validateCreateApp = bodyValidator<CreateAppInput>(createAppSchema);

export interface RegisteredApp {
  app: App;
  clientId: string;
  /** Returned to the caller exactly once; only its verifier and ciphertext are stored. */
  clientSecret: string;
}

export const secretContext = (appId: string, clientId: string) => ({
  appId,
  clientId,
  purpose: 'client-secret',
});

export async function registerApp(
  deps: { apps: AppStore; cipher: SecretCipher },
  input: CreateAppInput,
  now: Date,
  environment: CredentialEnvironment = 'production',
): Promise<RegisteredApp> {
  const app: App = {
    appId: newId('app'),
    name: input.name.trim(),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.innerId !== undefined ? { innerId: input.innerId } : {}),
    scopes: input.scopes ?? [],
    status: 'active',
    createdAt: now.toISOString(),
  };
  const clientId = newId(environment === 'production' ? 'ak' : 'ak_test');
  const clientSecret = generateClientSecret();
  const secretCiphertext = await deps.cipher.encrypt(clientSecret, secretContext(app.appId, clientId));
  await deps.apps.createApp(app, {
    clientId,
    appId: app.appId,
    environment,
    secretVerifier: clientSecretVerifier(clientSecret),
    secretCiphertext,
    status: 'active',
    createdAt: app.createdAt,
  });
  return { app, clientId, clientSecret };
}
