import { activeApp } from './active-app.ts';
import { clientSecretMatches } from './client-secret.ts';
import { type App, liveSecrets, type StoredCredential } from './model.ts';
import { type ClientAuthentication, OAuthError } from './oauth.ts';
import type { AppStore, AuthFailureLimiter } from './ports.ts';

export interface AuthenticatedClient {
  credential: StoredCredential;
  app: App;
}

/**
 * Authenticates an OAuth client (RFC 6749 section 2.3). Unknown clients, wrong or expired secrets and
 * disabled apps all get the same answer, so the endpoint does not reveal which client ids exist. A
 * public client is authenticated by its id alone; what it may do is limited by the grant (PKCE).
 */
export async function authenticateClient(
  deps: { apps: AppStore; failures: AuthFailureLimiter },
  client: ClientAuthentication,
  sourceIp: string,
  now: Date,
): Promise<AuthenticatedClient> {
  const challenge: Record<string, string> =
    client.method === 'client_secret_basic' ? { 'www-authenticate': 'Basic realm="portico"' } : {};
  const wait = await deps.failures.blockedFor(client.clientId, sourceIp, now);
  if (wait !== undefined) {
    throw new OAuthError('invalid_client', 'Too many failed authentication attempts; try again later.', 429, {
      'retry-after': String(wait),
    });
  }
  const credential = await deps.apps.getCredential(client.clientId);
  // A public client proves nothing but its id, so it must be registered as one and cannot use a secret.
  const secretOk =
    credential !== undefined &&
    (client.method === 'none'
      ? credential.public === true
      : credential.public !== true &&
        liveSecrets(credential, now).some((v) => clientSecretMatches(client.clientSecret, v.verifier)));
  const app =
    secretOk && credential.status === 'active' ? await activeApp(deps.apps, credential.appId) : undefined;
  if (!credential || !app) {
    await deps.failures.recordFailure(client.clientId, sourceIp, now);
    throw new OAuthError('invalid_client', 'Client authentication failed.', 401, challenge);
  }
  return { credential, app };
}
