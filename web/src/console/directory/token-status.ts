import type { AccessTokenRecord } from '../api/directory.ts';

export type TokenStatus = 'revoked' | 'expired' | 'used up' | 'active';

/** Whether a token would still be accepted at `now` (epoch ms), and if not, why. */
export function tokenStatus(token: AccessTokenRecord, now: number): TokenStatus {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt * 1000 <= now) return 'expired';
  if (token.maxUses !== undefined && (token.uses ?? 0) >= token.maxUses) return 'used up';
  return 'active';
}
