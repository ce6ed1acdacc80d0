import { apiFetch } from '../api/client.ts';
import { CLIENT_ID, redirectUriFor } from './authorization-request.ts';
import type { TokenResponse } from './token-store.ts';

/** The authorization server's token endpoints, called as the public client (no user token, no secret). */

const post = <T>(path: string, form: Record<string, string>) =>
  apiFetch<T>(path, { method: 'POST', form, anonymous: true, cache: 'no-store' });

export const exchangeCode = (code: string, verifier: string, origin: string): Promise<TokenResponse> =>
  post('/oauth2/token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUriFor(origin),
    client_id: CLIENT_ID,
    code_verifier: verifier,
  });

export const refreshTokens = (refreshToken: string): Promise<TokenResponse> =>
  post('/oauth2/token', { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID });

export const revokeToken = (token: string): Promise<unknown> =>
  post('/oauth2/revoke', { token, client_id: CLIENT_ID });

/** The issuer the authorization server names itself by (RFC 8414), which its redirects must carry. */
export const authorizationServerIssuer = async (): Promise<string> =>
  (
    await apiFetch<{ issuer: string }>('/.well-known/oauth-authorization-server', {
      anonymous: true,
      cache: 'no-store',
    })
  ).issuer;
