import { type JSONWebKeySet, errors as joseErrors } from 'jose';
import { TtlCache } from '../cache.ts';
import { isDependencyUnavailable } from '../kernel/dependency-failures.ts';
import { DomainError } from '../kernel/errors.ts';
import type { PublicKeyStore } from './ports.ts';
import { type VerifiedToken, verifyAccessToken } from './tokens.ts';

const JWKS_TTL_MS = 5 * 60_000;
const UNKNOWN_KID_REFRESH_MS = 10_000;
/**
 * A token string verified once is trusted again until it expires, for at most this long: an ECDSA
 * verification costs ~200 µs, a map lookup nothing, and the same string cannot carry other claims.
 * Revocation and usage limits are checked per request by the caller, not cached here.
 */
const VERIFIED_TTL_MS = 5 * 60_000;
const MAX_CACHED_VERIFICATIONS = 10_000;
const MAX_CACHED_TOKEN_LENGTH = 4096;

/**
 * Verifies bearer tokens locally against a cached JWKS: no AWS round trip on a warm path. A token
 * signed by a key we have not seen yet triggers one refresh, at most every 10 seconds.
 */
export class TokenVerifier {
  private readonly jwks: TtlCache<JSONWebKeySet>;
  private readonly verified = new Map<string, { token: VerifiedToken; until: number }>();

  constructor(
    keys: PublicKeyStore,
    private readonly expected: { issuer: string; audience: string },
    private readonly options: { clock?: () => number; cachedVerifications?: number } = {},
  ) {
    this.jwks = new TtlCache(() => keys.load(), JWKS_TTL_MS);
  }

  async verify(token: string): Promise<VerifiedToken> {
    const now = (this.options.clock ?? Date.now)();
    const known = this.verified.get(token);
    if (known && now < known.until) return known.token;
    if (known) this.verified.delete(token);
    const verified = await this.verifyUncached(token);
    const capacity = this.options.cachedVerifications ?? MAX_CACHED_VERIFICATIONS;
    if (capacity > 0 && token.length <= MAX_CACHED_TOKEN_LENGTH) {
      if (this.verified.size >= capacity) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, {
        token: verified,
        until: Math.min(verified.exp! * 1000, now + VERIFIED_TTL_MS),
      });
    }
    return verified;
  }

  private async verifyUncached(token: string): Promise<VerifiedToken> {
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
        } catch (refreshError) {
          if (isDependencyUnavailable(refreshError)) throw refreshError;
          throw invalidToken();
        }
      }
      // No keys to check against (a cold instance while the store is down) is not the caller's fault.
      if (isDependencyUnavailable(error)) throw error;
      throw invalidToken();
    }
  }

  /** Reads `Authorization: Bearer <token>` and verifies it. */
  async verifyBearer(authorization: string | undefined): Promise<VerifiedToken> {
    const match = /^Bearer\s+([A-Za-z0-9\-_.~+/]+=*)\s*$/i.exec(authorization ?? '');
    if (!match) {
      throw new DomainError(
        'unauthorized',
        'Send an access token as Authorization: Bearer <token>.',
        {},
        { challenge: 'Bearer realm="portico"' },
      );
    }
    return this.verify(match[1]!);
  }
}

const invalidToken = () =>
  new DomainError(
    'invalid-token',
    'The access token is invalid, expired or revoked.',
    {},
    { challenge: 'Bearer realm="portico", error="invalid_token"' },
  );
