import { randomToken, sha256Hex } from '../crypto/random.ts';
import { epochSeconds } from '../kernel/time.ts';
import type { App } from './model.ts';
import type { RefreshTokenStore, TokenStore } from './ports.ts';
import { currentKey, type SigningKeySet } from './signing-keys.ts';
import type { Grant } from './token-records.ts';
import { signAccessToken } from './tokens.ts';

export interface IssuerSettings {
  issuer: string;
  audience: string;
  /** Default and upper bound for access tokens unless the app sets a lower bound. */
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

export interface IssueDeps {
  signingKeys: () => Promise<SigningKeySet>;
  tokens: TokenStore;
  refreshTokens: RefreshTokenStore;
  settings: IssuerSettings;
}

export interface IssueRequest {
  app: App;
  clientId: string;
  subject: string;
  innerId?: string;
  scope: string;
  grant: Grant;
  /** Asked for by the client (`expires_in`); capped by the app's and the platform's limits. */
  requestedTtlSeconds?: number;
  maxUses?: number;
  /** The client is a sandbox credential. */
  sandbox?: boolean;
  /** Issue a refresh token in this family (a new family when `familyId` is undefined). */
  refresh?: { familyId?: string };
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
}

/** How refresh tokens and authorization codes are stored: never as themselves. */
export const opaqueTokenHash = (token: string): string => sha256Hex(token);
export const newRefreshToken = (): string => `rt_${randomToken(32)}`;

/** Signs an access token, records it, and (when asked) creates the refresh token that goes with it. */
export async function issueTokens(deps: IssueDeps, request: IssueRequest, now: Date): Promise<TokenResponse> {
  const key = currentKey(await deps.signingKeys());
  if (!key) throw new Error('no current signing key');
  const ttl = Math.min(
    request.requestedTtlSeconds ?? Number.POSITIVE_INFINITY,
    request.app.accessTokenTtlSeconds ?? Number.POSITIVE_INFINITY,
    deps.settings.accessTokenTtlSeconds,
  );
  const familyId = request.refresh ? (request.refresh.familyId ?? `fam_${randomToken(16)}`) : undefined;
  const issued = await signAccessToken(
    {
      sub: request.subject,
      client_id: request.clientId,
      app_id: request.app.appId,
      scope: request.scope,
      ...(request.innerId ? { inner_id: request.innerId } : {}),
      ...(request.maxUses ? { max_uses: request.maxUses } : {}),
      ...(request.sandbox ? { sandbox: true as const } : {}),
    },
    key,
    { issuer: deps.settings.issuer, audience: deps.settings.audience, lifetimeSeconds: ttl },
    now,
  );
  const issuedAt = epochSeconds(now);
  await deps.tokens.recordAccessToken({
    jti: issued.jti,
    appId: request.app.appId,
    clientId: request.clientId,
    subject: request.subject,
    scope: request.scope,
    grant: request.grant,
    issuedAt,
    expiresAt: issuedAt + ttl,
    ...(familyId ? { familyId } : {}),
    ...(request.maxUses ? { maxUses: request.maxUses, uses: 0 } : {}),
  });
  const response: TokenResponse = {
    access_token: issued.accessToken,
    token_type: 'Bearer',
    expires_in: ttl,
    scope: request.scope,
  };
  if (request.refresh && familyId && request.refresh.familyId === undefined) {
    const refreshToken = newRefreshToken();
    await deps.refreshTokens.save({
      hash: opaqueTokenHash(refreshToken),
      familyId,
      appId: request.app.appId,
      clientId: request.clientId,
      subject: request.subject,
      ...(request.innerId ? { innerId: request.innerId } : {}),
      scope: request.scope,
      status: 'active',
      createdAt: now.toISOString(),
      expiresAt: issuedAt + deps.settings.refreshTokenTtlSeconds,
    });
    response.refresh_token = refreshToken;
  }
  return response;
}

/** Revokes a refresh-token family and every access token issued from it. */
export async function revokeFamily(
  deps: Pick<IssueDeps, 'tokens' | 'refreshTokens'>,
  appId: string,
  familyId: string,
  now: Date,
): Promise<void> {
  await deps.refreshTokens.revokeFamily(appId, familyId, now);
  const issued = (await deps.tokens.listAccessTokens(appId, now)).filter(
    (t) => t.familyId === familyId && !t.revokedAt,
  );
  await deps.tokens.revokeAccessTokens(issued, now);
}
