import { epochSeconds } from '../kernel/time.ts';
import { authenticateClient } from './client-authentication.ts';
import {
  type IssueDeps,
  issueTokens,
  newRefreshToken,
  opaqueTokenHash,
  revokeFamily,
  type TokenResponse,
} from './issue-tokens.ts';
import { type ClientAuthentication, narrowScope, OAuthError } from './oauth.ts';
import { verifyS256 } from './pkce.ts';
import type { AppStore, AuthFailureLimiter, AuthorizationStore, UserProfiles } from './ports.ts';
import { grantableScopes } from './scopes.ts';
import { webSessionScope } from './users.ts';

export interface TokenEndpointDeps extends IssueDeps {
  apps: AppStore;
  failures: AuthFailureLimiter;
  authorizations: AuthorizationStore;
  /** People's current profiles: a web-app session's refresh carries what the account holds now. */
  users?: UserProfiles;
}

export interface TokenEndpointRequest {
  params: Map<string, string>;
  client: ClientAuthentication;
  sourceIp: string;
}

const MAX_USES_LIMIT = 1_000_000;

function positiveInteger(params: Map<string, string>, name: string, max: number): number | undefined {
  const raw = params.get(name);
  if (raw === undefined) return undefined;
  if (!/^[1-9][0-9]{0,9}$/.test(raw) || Number(raw) > max) {
    throw new OAuthError('invalid_request', `${name} must be an integer from 1 to ${max}.`);
  }
  return Number(raw);
}

function required(params: Map<string, string>, name: string): string {
  const value = params.get(name);
  if (!value) throw new OAuthError('invalid_request', `${name} is required.`);
  return value;
}

async function sessionScopes(deps: TokenEndpointDeps, userId: string): Promise<string[]> {
  const user = await deps.users?.get(userId);
  if (!user) throw new OAuthError('invalid_grant', 'The account of this session no longer exists.');
  return webSessionScope(user).split(' ');
}

/**
 * POST /oauth2/token: authenticates the client, then runs the grant (RFC 6749 sections 4.1.3, 4.4, 6,
 * with PKCE per RFC 7636). `expires_in` and `max_uses` are Portico extensions (seed 001): a client may
 * ask for a shorter-lived token, or one usable a given number of times.
 */
export async function handleTokenRequest(
  deps: TokenEndpointDeps,
  request: TokenEndpointRequest,
  now: Date,
): Promise<TokenResponse> {
  const { credential, app } = await authenticateClient(deps, request.client, request.sourceIp, now);
  const { params } = request;
  const grantType = required(params, 'grant_type');
  const requestedTtlSeconds = positiveInteger(params, 'expires_in', 86_400);
  const maxUses = positiveInteger(params, 'max_uses', MAX_USES_LIMIT);
  const common = {
    app,
    clientId: credential.clientId,
    ...(credential.environment === 'sandbox' ? { sandbox: true } : {}),
    ...(requestedTtlSeconds ? { requestedTtlSeconds } : {}),
    ...(maxUses ? { maxUses } : {}),
  };

  switch (grantType) {
    case 'client_credentials':
      if (credential.public)
        throw new OAuthError('unauthorized_client', 'A public client cannot use client_credentials.');
      return issueTokens(
        deps,
        {
          ...common,
          subject: app.appId,
          ...(app.innerId ? { innerId: app.innerId } : {}),
          scope: narrowScope(params.get('scope'), grantableScopes(app.scopes, credential.environment)),
          grant: 'client_credentials',
        },
        now,
      );

    case 'authorization_code': {
      const code = required(params, 'code');
      const verifier = required(params, 'code_verifier');
      const redeemed = await deps.authorizations.redeemCode(opaqueTokenHash(code), credential.clientId, now);
      if (redeemed.outcome === 'replayed') {
        // RFC 6749 section 4.1.2: a code used twice revokes what it was exchanged for.
        if (redeemed.code.familyId)
          await revokeFamily(deps, redeemed.code.appId, redeemed.code.familyId, now);
        throw new OAuthError('invalid_grant', 'The authorization code was already used.');
      }
      if (redeemed.outcome === 'invalid')
        throw new OAuthError('invalid_grant', 'The authorization code is invalid or expired.');
      const record = redeemed.code;
      if (params.get('redirect_uri') !== record.redirectUri) {
        throw new OAuthError('invalid_grant', 'redirect_uri does not match the authorization request.');
      }
      if (!verifyS256(verifier, record.codeChallenge))
        throw new OAuthError('invalid_grant', 'PKCE verification failed.');
      const response = await issueTokens(
        deps,
        {
          ...common,
          subject: record.subject,
          ...(record.innerId ? { innerId: record.innerId } : {}),
          scope: record.scope,
          grant: 'authorization_code',
          refresh: {},
        },
        now,
      );
      const family = (await deps.refreshTokens.get(opaqueTokenHash(response.refresh_token!)))?.familyId;
      if (family) await deps.authorizations.setCodeFamily(record.hash, family);
      return response;
    }

    case 'refresh_token': {
      const presented = required(params, 'refresh_token');
      const hash = opaqueTokenHash(presented);
      const current = await deps.refreshTokens.get(hash);
      if (!current || current.clientId !== credential.clientId) {
        throw new OAuthError('invalid_grant', 'The refresh token is invalid, expired or revoked.');
      }
      // Never more than the family was granted, nor than the app still holds; for a person in the web
      // app, nor than their account holds now (a role taken away is gone at the next refresh).
      const appHolds = grantableScopes(app.scopes, credential.environment);
      const accountHolds = app.firstParty ? await sessionScopes(deps, current.subject) : appHolds;
      const stillGranted = appHolds.filter((s) => accountHolds.includes(s));
      const familyScopes = current.scope.split(' ').filter((s) => s && stillGranted.includes(s));
      const scope = narrowScope(params.get('scope'), familyScopes);
      const response = await issueTokens(
        deps,
        {
          ...common,
          subject: current.subject,
          ...(current.innerId ? { innerId: current.innerId } : {}),
          scope,
          grant: 'refresh_token',
          refresh: { familyId: current.familyId },
        },
        now,
      );
      const successor = newRefreshToken();
      const rotated = await deps.refreshTokens.rotate(
        hash,
        (previous) => ({
          ...previous,
          hash: opaqueTokenHash(successor),
          status: 'active',
          createdAt: now.toISOString(),
          expiresAt: epochSeconds(now) + deps.settings.refreshTokenTtlSeconds,
        }),
        now,
      );
      if (rotated.outcome !== 'rotated') {
        // A used refresh token came back: someone holds a copy. Revoke the whole family (RFC 9700 4.14.2).
        await revokeFamily(deps, current.appId, current.familyId, now);
        throw new OAuthError('invalid_grant', 'The refresh token is invalid, expired or revoked.');
      }
      return { ...response, refresh_token: successor };
    }

    default:
      throw new OAuthError(
        'unsupported_grant_type',
        `grant_type ${grantType.slice(0, 64)} is not supported.`,
      );
  }
}
