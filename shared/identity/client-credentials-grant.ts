import { clientSecretMatches } from './client-secret.ts';
import { type ClientAuthentication, narrowScope, OAuthError } from './oauth.ts';
import type { AppStore } from './ports.ts';
import { currentKey, type SigningKeySet } from './signing-keys.ts';
import { type IssuedToken, signAccessToken, type TokenSettings } from './tokens.ts';

export interface TokenRequest {
  grantType: string | undefined;
  scope: string | undefined;
  client: ClientAuthentication;
}

export interface GrantDeps {
  apps: AppStore;
  signingKeys: () => Promise<SigningKeySet>;
  settings: TokenSettings;
}

/**
 * RFC 6749 section 4.4. Unknown clients and wrong secrets get the same answer, so the endpoint
 * does not tell which client ids exist.
 */
export async function clientCredentialsGrant(
  deps: GrantDeps,
  request: TokenRequest,
  now: Date,
): Promise<IssuedToken> {
  const rejected = () =>
    new OAuthError(
      'invalid_client',
      'Client authentication failed.',
      401,
      request.client.method === 'client_secret_basic' ? { 'www-authenticate': 'Basic realm="portico"' } : {},
    );
  const credential = await deps.apps.getCredential(request.client.clientId);
  if (!credential || !clientSecretMatches(request.client.clientSecret, credential.secretVerifier))
    throw rejected();
  const app = credential.status === 'active' ? await deps.apps.getApp(credential.appId) : undefined;
  if (app?.status !== 'active') throw rejected();

  if (request.grantType === undefined) throw new OAuthError('invalid_request', 'grant_type is required.');
  if (request.grantType !== 'client_credentials') {
    throw new OAuthError('unsupported_grant_type', `grant_type ${request.grantType} is not supported.`);
  }
  const scope = narrowScope(request.scope, app.scopes);

  const key = currentKey(await deps.signingKeys());
  if (!key) throw new Error('no current signing key');
  return signAccessToken(
    {
      sub: app.appId,
      client_id: credential.clientId,
      app_id: app.appId,
      scope,
      ...(app.innerId ? { inner_id: app.innerId } : {}),
    },
    key,
    deps.settings,
    now,
  );
}
