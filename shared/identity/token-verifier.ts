import { type JSONWebKeySet, errors as joseErrors } from 'jose';
import { TtlCache } from '../cache.ts';
import { ProblemError } from '../http/problem.ts';
import type { PublicKeyStore } from './ports.ts';
import { type VerifiedToken, verifyAccessToken } from './tokens.ts';

const JWKS_TTL_MS = 5 * 60_000;
const UNKNOWN_KID_REFRESH_MS = 10_000;

/**
 * Verifies bearer tokens locally against a cached JWKS: no AWS round trip on a warm path. A token
 * signed by a key we have not seen yet triggers one refresh, at most every 10 seconds.
 */
export class TokenVerifier {
  private readonly jwks: TtlCache<JSONWebKeySet>;

  constructor(
    keys: PublicKeyStore,
    private readonly expected: { issuer: string; audience: string },
  ) {
    this.jwks = new TtlCache(() => keys.load(), JWKS_TTL_MS);
  }

  async verify(token: string): Promise<VerifiedToken> {
    try {
      return await verifyAccessToken(token, await this.jwks.get(), this.expected);
    } catch (error) {
      if (error instanceof joseErrors.JWKSNoMatchingKey) {
        try {
          return await verifyAccessToken(
            token,
            await this.jwks.refresh(UNKNOWN_KID_REFRESH_MS),
            this.expected,
          );
        } catch {
          throw invalidToken();
        }
      }
      throw invalidToken();
    }
  }

  /** Reads `Authorization: Bearer <token>` and verifies it. */
  async verifyBearer(authorization: string | undefined): Promise<VerifiedToken> {
    const match = /^Bearer\s+([A-Za-z0-9\-_.~+/]+=*)\s*$/i.exec(authorization ?? '');
    if (!match) {
      throw new ProblemError(
        'unauthorized',
        'Send an access token as Authorization: Bearer <token>.',
        {},
        {
          'www-authenticate': 'Bearer realm="portico"',
        },
      );
    }
    return this.verify(match[1]!);
  }
}

const invalidToken = () =>
  new ProblemError(
    'invalid-token',
    'The access token is invalid, expired or revoked.',
    {},
    {
      'www-authenticate': 'Bearer realm="portico", error="invalid_token"',
    },
  );
