import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { BACKGROUND_PROFILE, clientConfig, REQUEST_PATH_PROFILE, traced } from './clients.ts';

/** Secrets Manager on the request path: the token endpoint loads its signing keys (cached). */
export const secretsManager = traced(new SecretsManagerClient(clientConfig(REQUEST_PATH_PROFILE)));

/** Secrets Manager for the scheduled key rotation. */
export const backgroundSecretsManager = traced(new SecretsManagerClient(clientConfig(BACKGROUND_PROFILE)));
