import { newId } from '../crypto/random.ts';
import { rateLimitPolicySchema } from '../kernel/rate-limit-policy.ts';
import { scopeListSchema } from '../kernel/scopes.ts';
import { bodyValidator } from '../kernel/validation.ts';
import { clientSecretVerifier, generateClientSecret } from './client-secret.ts';
import type { App, AppStatus, CredentialEnvironment, SecretVersion } from './model.ts';
import type { AppStore, SecretCipher } from './ports.ts';

export interface CreateAppInput {
  name: string;
  description?: string;
  developerId?: string;
  innerId?: string;
  scopes?: string[];
  redirectUris?: string[];
  accessTokenTtlSeconds?: number;
  rateLimits?: App['rateLimits'];
}

export interface UpdateAppInput extends Partial<CreateAppInput> {
  status?: AppStatus;
}

/** https anywhere; plain http only to the loopback interface (native and local development clients). */
export const REDIRECT_URI_PATTERN =
  '^(https://[^#\\s]+|http://(localhost|127\\.0\\.0\\.1|\\[::1\\])(:[0-9]{1,5})?(/[^#\\s]*)?)$';

const appProperties = {
  name: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' },
  description: { type: 'string', maxLength: 1000 },
  developerId: { type: 'string', pattern: '^dev_[A-Za-z0-9_-]{22}$' },
  innerId: { type: 'string', minLength: 1, maxLength: 128 },
  scopes: scopeListSchema(100),
  redirectUris: {
    type: 'array',
    items: { type: 'string', maxLength: 2000, pattern: REDIRECT_URI_PATTERN },
    maxItems: 20,
    uniqueItems: true,
  },
  accessTokenTtlSeconds: { type: 'integer', minimum: 60, maximum: 86_400 },
  rateLimits: {
    type: 'object',
    properties: { app: rateLimitPolicySchema, appApi: rateLimitPolicySchema },
    additionalProperties: false,
  },
} as const;

export const createAppSchema = {
  type: 'object',
  properties: appProperties,
  required: ['name'],
  additionalProperties: false,
} as const;

export const updateAppSchema = {
  type: 'object',
  properties: { ...appProperties, status: { enum: ['active', 'disabled'] } },
  minProperties: 1,
  additionalProperties: false,
} as const;

export const validateCreateApp = bodyValidator<CreateAppInput>(createAppSchema);
export const validateUpdateApp = bodyValidator<UpdateAppInput>(updateAppSchema);

/** The app after an update: only the members sent change. */
export const applyAppUpdate = (app: App, update: UpdateAppInput, now: Date): App => ({
  ...app,
  ...update,
  ...(update.name !== undefined ? { name: update.name.trim() } : {}),
  updatedAt: now.toISOString(),
});

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

/** Encrypts a fresh secret into a stored version (verifier + KMS ciphertext bound to its owner). */
export async function newSecretVersion(
  cipher: SecretCipher,
  appId: string,
  clientId: string,
  secret: string,
  now: Date,
): Promise<SecretVersion> {
  return {
    id: newId('sv'),
    verifier: clientSecretVerifier(secret),
    ciphertext: await cipher.encrypt(secret, secretContext(appId, clientId)),
    createdAt: now.toISOString(),
  };
}

/** A new, active app from validated input. */
export function newApp(input: CreateAppInput, now: Date): App {
  return {
    appId: newId('app'),
    name: input.name.trim(),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.developerId !== undefined ? { developerId: input.developerId } : {}),
    ...(input.innerId !== undefined ? { innerId: input.innerId } : {}),
    ...(input.accessTokenTtlSeconds !== undefined
      ? { accessTokenTtlSeconds: input.accessTokenTtlSeconds }
      : {}),
    ...(input.rateLimits !== undefined ? { rateLimits: input.rateLimits } : {}),
    scopes: input.scopes ?? [],
    redirectUris: input.redirectUris ?? [],
    status: 'active',
    createdAt: now.toISOString(),
  };
}

export async function registerApp(
  deps: { apps: AppStore; cipher: SecretCipher },
  input: CreateAppInput,
  now: Date,
  environment: CredentialEnvironment = 'production',
): Promise<RegisteredApp> {
  const app = newApp(input, now);
  const clientId = newId(environment === 'production' ? 'ak' : 'ak_test');
  const clientSecret = generateClientSecret();
  await deps.apps.createApp(app, {
    clientId,
    appId: app.appId,
    environment,
    secrets: [await newSecretVersion(deps.cipher, app.appId, clientId, clientSecret, now)],
    status: 'active',
    createdAt: app.createdAt,
  });
  return { app, clientId, clientSecret };
}
