import { createPrivateKey, type JsonWebKey, type KeyObject, sign } from 'node:crypto';
import type { JWK } from 'jose';
import { currentKey, SIGNING_ALG, type SigningKeySet } from './signing-keys.ts';

/**
 * The identity an upstream can verify: the gateway signs, per call, a short-lived compact JWS of who
 * called (app, client, inner id, scopes, sandbox), which API, which request (id, method, path) and
 * when, with keys of its own (not the access-token keys) published at `/.well-known/identity-jwks.json`. An upstream
 * checks the signature, the type, the issuer, its API, the age, the method and path it received, and
 * that it has not seen the id before (`sdk/identity-verifier.ts`).
 */
export const IDENTITY_TOKEN_HEADER = 'x-portico-identity';
export const IDENTITY_TOKEN_TYPE = 'portico-identity+jwt';
/** Long enough for a slow network and a little clock skew, short enough that a leaked token is soon useless. */
export const IDENTITY_TOKEN_TTL_SECONDS = 60;

export interface IdentityClaims {
  iss: string;
  /** The app. */
  sub: string;
  /** `api:<name>`: the API the call was made to. */
  aud: string;
  client_id: string;
  inner_id?: string;
  scope: string;
  sandbox?: true;
  /** The gateway's request id: unique per call, so an upstream can refuse a replay. */
  jti: string;
  /** The method and path (below the API, as the upstream receives it) the token was issued for. */
  htm: string;
  htp: string;
  iat: number;
  exp: number;
}

export const identityAudience = (apiName: string): string => `api:${apiName}`;

export interface IdentityCall {
  issuer: string;
  api: string;
  appId: string;
  clientId: string;
  innerId?: string;
  scopes: readonly string[];
  sandbox: boolean;
  requestId: string;
  method: string;
  path: string;
  nowMs: number;
}

export function identityClaims(call: IdentityCall): IdentityClaims {
  const iat = Math.floor(call.nowMs / 1000);
  return {
    iss: call.issuer,
    sub: call.appId,
    aud: identityAudience(call.api),
    client_id: call.clientId,
    ...(call.innerId ? { inner_id: call.innerId } : {}),
    scope: call.scopes.join(' '),
    ...(call.sandbox ? { sandbox: true as const } : {}),
    jti: call.requestId,
    htm: call.method.toUpperCase(),
    htp: call.path || '/',
    iat,
    exp: iat + IDENTITY_TOKEN_TTL_SECONDS,
  };
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs identity tokens with one key, synchronously (P-256, ECDSA with SHA-256, as JWS ES256 wants). */
export class IdentityTokenSigner {
  private readonly key: KeyObject;
  private readonly header: string;

  constructor(privateJwk: JWK, kid: string) {
    this.key = createPrivateKey({ key: privateJwk as JsonWebKey, format: 'jwk' });
    this.header = encode({ alg: SIGNING_ALG, typ: IDENTITY_TOKEN_TYPE, kid });
  }

  sign(claims: IdentityClaims): string {
    const input = `${this.header}.${encode(claims)}`;
    const signature = sign('sha256', Buffer.from(input), { key: this.key, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  }
}

/** The signer of a key set's current key, or nothing while the set has none. */
export function signerOf(set: SigningKeySet): IdentityTokenSigner | undefined {
  const key = currentKey(set);
  return key ? new IdentityTokenSigner(key.privateJwk, key.kid) : undefined;
}
