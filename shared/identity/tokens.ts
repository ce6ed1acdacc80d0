import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, importJWK, type JSONWebKeySet, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { epochSeconds } from '../kernel/time.ts';
import { SIGNING_ALG, type SigningKey } from './signing-keys.ts';

export interface AccessTokenClaims {
  sub: string;
  client_id: string;
  scope: string;
  app_id: string;
  inner_id?: string;
  /** Present on tokens limited to a number of uses: the gateway counts each use. */
  max_uses?: number;
  /** Issued to a sandbox credential: the gateway routes its calls to the sandbox upstream or the mock. */
  sandbox?: true;
}

export interface TokenSettings {
  issuer: string;
  audience: string;
  lifetimeSeconds: number;
}

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  scope: string;
  jti: string;
}

export async function signAccessToken(
  claims: AccessTokenClaims,
  key: SigningKey,
  settings: TokenSettings,
  now: Date,
): Promise<IssuedToken> {
  const jti = randomUUID();
  const iat = epochSeconds(now);
  const privateKey = await importedPrivateKey(key);
  const accessToken = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + settings.lifetimeSeconds)
    .setJti(jti)
    .sign(privateKey);
  return { accessToken, expiresIn: settings.lifetimeSeconds, scope: claims.scope, jti };
}

/** Imported signing keys by kid: importing costs more than signing, and a kid never changes its key. */
const privateKeys = new Map<string, ReturnType<typeof importJWK>>();
function importedPrivateKey(key: SigningKey): ReturnType<typeof importJWK> {
  let imported = privateKeys.get(key.kid);
  if (!imported) {
    imported = importJWK(key.privateJwk, SIGNING_ALG);
    privateKeys.set(key.kid, imported);
  }
  return imported;
}

/** One jose key set per cached JWKS document, so public keys are imported once, not per token. */
const keySets = new WeakMap<JSONWebKeySet, ReturnType<typeof createLocalJWKSet>>();
function keySetFor(jwks: JSONWebKeySet): ReturnType<typeof createLocalJWKSet> {
  let keySet = keySets.get(jwks);
  if (!keySet) {
    keySet = createLocalJWKSet(jwks);
    keySets.set(jwks, keySet);
  }
  return keySet;
}

export type VerifiedToken = JWTPayload & AccessTokenClaims;

/**
 * Verifies an access token against a JWKS, pinned to our algorithm, issuer and audience. Throws
 * jose's errors; callers turn them into a 401.
 */
export async function verifyAccessToken(
  token: string,
  jwks: JSONWebKeySet,
  expected: { issuer: string; audience: string },
  now: Date = new Date(),
): Promise<VerifiedToken> {
  const { payload } = await jwtVerify(token, keySetFor(jwks), {
    algorithms: [SIGNING_ALG],
    issuer: expected.issuer,
    audience: expected.audience,
    typ: 'at+jwt',
    currentDate: now,
    requiredClaims: ['exp', 'iat', 'sub', 'jti'],
  });
  if (typeof payload.client_id !== 'string' || typeof payload.scope !== 'string') {
    throw new Error('token lacks client_id or scope');
  }
  return payload as VerifiedToken;
}

export const scopesOf = (token: Pick<AccessTokenClaims, 'scope'>): string[] =>
  token.scope.split(' ').filter(Boolean);
