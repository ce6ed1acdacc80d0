import { describe, expect, it } from 'vitest';
import type { AccessTokenRecord } from '../api/directory.ts';
import { tokenStatus } from './token-status.ts';

const token: AccessTokenRecord = {
  jti: 'j',
  appId: 'app_1',
  clientId: 'ak_1',
  subject: 'app_1',
  scope: 'echo:read',
  grant: 'client_credentials',
  issuedAt: 1_000,
  expiresAt: 2_000,
};

describe('a token’s status', () => {
  it('is active until it expires', () => {
    expect(tokenStatus(token, 1_500_000)).toBe('active');
    expect(tokenStatus(token, 2_000_000)).toBe('expired');
  });

  it('is revoked once revoked, whatever its expiry', () => {
    expect(tokenStatus({ ...token, revokedAt: '2030-01-01T00:00:00Z' }, 1_500_000)).toBe('revoked');
  });

  it('is used up after its last use', () => {
    expect(tokenStatus({ ...token, maxUses: 3, uses: 3 }, 1_500_000)).toBe('used up');
    expect(tokenStatus({ ...token, maxUses: 3, uses: 2 }, 1_500_000)).toBe('active');
  });
});
