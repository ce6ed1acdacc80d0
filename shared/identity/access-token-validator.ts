import { DomainError } from '../kernel/errors.ts';
import type { TokenStore } from './ports.ts';
import type { RevocationCache } from './revocation-cache.ts';
import type { TokenVerifier } from './token-verifier.ts';
import type { VerifiedToken } from './tokens.ts';

const rejected = (detail: string) =>
  new DomainError(
    'invalid-token',
    detail,
    {},
    { challenge: 'Bearer realm="portico", error="invalid_token"' },
  );

/**
 * Everything a resource server checks about a bearer token: signature and claims (local), revocation
 * (from the followed feed) and, for tokens limited to N uses, one atomic count per use.
 */
export class AccessTokenValidator {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly revocations: RevocationCache,
    private readonly tokens: Pick<TokenStore, 'countUse'>,
  ) {}

  /** For credentials other than tokens (signatures): has the app been cut off since `atMs`? */
  isAppRevokedAfter(appId: string, atMs: number): Promise<boolean> {
    return this.revocations.isAppRevokedAfter(appId, atMs);
  }

  async validate(authorization: string | undefined): Promise<VerifiedToken> {
    const token = await this.verifier.verifyBearer(authorization);
    if (await this.revocations.isRevoked(token)) throw rejected('The access token has been revoked.');
    if (token.max_uses !== undefined && !(await this.tokens.countUse(token.app_id, token.jti!))) {
      throw rejected('The access token has reached its usage limit.');
    }
    return token;
  }
}
