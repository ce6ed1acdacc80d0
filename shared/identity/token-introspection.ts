import { isDependencyUnavailable } from '../kernel/dependency-failures.ts';
import { epochSeconds } from '../kernel/time.ts';
import { authenticateClient } from './client-authentication.ts';
import { opaqueTokenHash, revokeFamily } from './issue-tokens.ts';
import { type ClientAuthentication, OAuthError } from './oauth.ts';
import type { AppStore, AuthFailureLimiter, RefreshTokenStore, TokenStore } from './ports.ts';
import type { TokenVerifier } from './token-verifier.ts';
import type { VerifiedToken } from './tokens.ts';

/** Resource servers holding this scope may introspect any token; other clients only their own. */
export const INTROSPECT_SCOPE = 'oauth:introspect';

export interface IntrospectionDeps {
  apps: AppStore;
  failures: AuthFailureLimiter;
  tokens: TokenStore;
  refreshTokens: RefreshTokenStore;
  verifier: TokenVerifier;
}

const looksLikeJwt = (token: string) => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);

async function verifiedOrUndefined(
  verifier: TokenVerifier,
  token: string,
): Promise<VerifiedToken | undefined> {
  try {
    return await verifier.verify(token);
  } catch (error) {
    // Keys that cannot be loaded say nothing about the token: not `active: false`, but a 503.
    if (isDependencyUnavailable(error)) throw error;
    return undefined;
  }
}

/** RFC 7662. Anything not active, not known, or not the caller's to see is `{ active: false }`. */
export async function introspect(
  deps: IntrospectionDeps,
  client: ClientAuthentication,
  token: string,
  sourceIp: string,
  now: Date,
): Promise<Record<string, unknown>> {
  const caller = await authenticateClient(deps, client, sourceIp, now);
  if (caller.credential.public)
    throw new OAuthError('invalid_client', 'Introspection needs a confidential client.', 401);
  const mayIntrospect = (clientId: string) =>
    clientId === caller.credential.clientId || caller.app.scopes.includes(INTROSPECT_SCOPE);
  const inactive = { active: false };
  const epochNow = epochSeconds(now);

  if (looksLikeJwt(token)) {
    const claims = await verifiedOrUndefined(deps.verifier, token);
    if (!claims || !mayIntrospect(claims.client_id)) return inactive;
    const record = await deps.tokens.getAccessToken(claims.app_id, claims.jti!);
    const notBefore = await deps.tokens.appNotBefore(claims.app_id);
    if (!record || record.revokedAt || (notBefore !== undefined && (claims.iat ?? 0) <= notBefore))
      return inactive;
    if (record.maxUses !== undefined && (record.uses ?? 0) >= record.maxUses) return inactive;
    return {
      active: true,
      token_type: 'Bearer',
      scope: claims.scope,
      client_id: claims.client_id,
      sub: claims.sub,
      exp: claims.exp,
      iat: claims.iat,
      iss: claims.iss,
      aud: claims.aud,
      jti: claims.jti,
      app_id: claims.app_id,
      ...(claims.inner_id ? { inner_id: claims.inner_id } : {}),
      ...(record.maxUses !== undefined ? { max_uses: record.maxUses, uses: record.uses ?? 0 } : {}),
    };
  }

  const refresh = await deps.refreshTokens.get(opaqueTokenHash(token));
  if (refresh?.status !== 'active' || refresh.expiresAt <= epochNow || !mayIntrospect(refresh.clientId)) {
    return inactive;
  }
  if (await deps.refreshTokens.isFamilyRevoked(refresh.appId, refresh.familyId)) return inactive;
  return {
    active: true,
    token_type: 'refresh_token',
    scope: refresh.scope,
    client_id: refresh.clientId,
    sub: refresh.subject,
    exp: refresh.expiresAt,
  };
}

/**
 * RFC 7009. Revokes a refresh token (with its whole family and the access tokens it produced) or an
 * access token, if it belongs to the caller. Unknown tokens and other clients' tokens change nothing
 * and are answered the same way, so the endpoint reveals nothing about them.
 */
export async function revoke(
  deps: IntrospectionDeps,
  client: ClientAuthentication,
  token: string,
  sourceIp: string,
  now: Date,
): Promise<void> {
  const caller = await authenticateClient(deps, client, sourceIp, now);
  if (looksLikeJwt(token)) {
    const claims = await verifiedOrUndefined(deps.verifier, token);
    if (claims && claims.client_id === caller.credential.clientId) {
      await deps.tokens.revokeAccessTokens(
        [{ appId: claims.app_id, jti: claims.jti!, expiresAt: claims.exp! }],
        now,
      );
    }
    return;
  }
  const refresh = await deps.refreshTokens.get(opaqueTokenHash(token));
  if (refresh && refresh.clientId === caller.credential.clientId) {
    await revokeFamily(deps, refresh.appId, refresh.familyId, now);
  }
}
