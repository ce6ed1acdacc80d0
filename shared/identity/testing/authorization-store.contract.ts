import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { epochSeconds } from '../../kernel/time.ts';
import type { AuthorizationStore } from '../ports.ts';
import type { AuthorizationCodeRecord, AuthorizationRequest } from '../token-records.ts';

const T0 = Date.UTC(2030, 0, 1);
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const S0 = epochSeconds(T0);

const unique = (prefix: string) => `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;

const aRequest = (overrides: Partial<AuthorizationRequest> = {}): AuthorizationRequest => ({
  id: unique('authz'),
  appId: 'app_1',
  clientId: 'ak_1',
  redirectUri: 'https://client.example/callback',
  scope: 'orders:read',
  state: 'xyz',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  expiresAt: S0 + 600,
  ...overrides,
});

const aCode = (overrides: Partial<AuthorizationCodeRecord> = {}): AuthorizationCodeRecord => ({
  hash: unique('code'),
  appId: 'app_1',
  clientId: 'ak_1',
  redirectUri: 'https://client.example/callback',
  scope: 'orders:read',
  subject: 'user-1',
  innerId: 'inner-1',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  expiresAt: S0 + 60,
  ...overrides,
});

/**
 * What every `AuthorizationStore` must do (shared/identity/ports.ts): pending requests expire on read;
 * a code is redeemed once by the client it was issued to, and a replay by that client is reported.
 */
export function authorizationStoreContract(name: string, setup: () => Promise<AuthorizationStore>): void {
  describe(`AuthorizationStore contract: ${name}`, () => {
    describe('authorization requests', () => {
      it('reads back a saved request until it expires, though the store still holds it', async () => {
        const store = await setup();
        const request = aRequest();
        await store.saveRequest(request);
        expect(await store.getRequest(request.id, at(599))).toEqual(request);
        expect(await store.getRequest(request.id, at(600))).toBeUndefined();
        expect(await store.getRequest(request.id, at(3_600))).toBeUndefined();
        expect(await store.getRequest(request.id, at(0))).toEqual(request);
        expect(await store.getRequest(unique('authz'), at(0))).toBeUndefined();
      });

      it('forgets a deleted request; deleting an unknown one is harmless', async () => {
        const store = await setup();
        const [request, other] = [aRequest(), aRequest()];
        await store.saveRequest(request);
        await store.saveRequest(other);
        await store.deleteRequest(request.id);
        await store.deleteRequest(unique('authz'));
        expect(await store.getRequest(request.id, at(0))).toBeUndefined();
        expect(await store.getRequest(other.id, at(0))).toEqual(other);
      });
    });

    describe('authorization codes', () => {
      it('redeems a code once for its client, then reports the first redemption as replayed', async () => {
        const store = await setup();
        const code = aCode();
        await store.saveCode(code);
        const redeemed = { ...code, usedAt: at(5).toISOString() };
        expect(await store.redeemCode(code.hash, code.clientId, at(5))).toEqual({
          outcome: 'redeemed',
          code: redeemed,
        });
        expect(await store.redeemCode(code.hash, code.clientId, at(6))).toEqual({
          outcome: 'replayed',
          code: redeemed,
        });
      });

      it("refuses another client's attempt as invalid and leaves the code unused", async () => {
        const store = await setup();
        const code = aCode();
        await store.saveCode(code);
        expect(await store.redeemCode(code.hash, 'ak_other', at(5))).toEqual({ outcome: 'invalid' });
        expect((await store.redeemCode(code.hash, code.clientId, at(6))).outcome).toBe('redeemed');
        // A replay by another client is not reported to it.
        expect(await store.redeemCode(code.hash, 'ak_other', at(7))).toEqual({ outcome: 'invalid' });
      });

      it('refuses an unknown code and an expired one as invalid', async () => {
        const store = await setup();
        expect(await store.redeemCode(unique('code'), 'ak_1', at(0))).toEqual({ outcome: 'invalid' });
        const code = aCode({ expiresAt: S0 + 60 });
        await store.saveCode(code);
        expect(await store.redeemCode(code.hash, code.clientId, at(60))).toEqual({ outcome: 'invalid' });
        expect(await store.redeemCode(code.hash, code.clientId, at(61))).toEqual({ outcome: 'invalid' });
      });

      it('still reports a redeemed code as replayed to its client after it expired', async () => {
        const store = await setup();
        const code = aCode({ expiresAt: S0 + 60 });
        await store.saveCode(code);
        await store.redeemCode(code.hash, code.clientId, at(30));
        expect(await store.redeemCode(code.hash, code.clientId, at(600))).toEqual({
          outcome: 'replayed',
          code: { ...code, usedAt: at(30).toISOString() },
        });
      });

      it('reports the family set after redemption with a replay', async () => {
        const store = await setup();
        const code = aCode();
        await store.saveCode(code);
        await store.redeemCode(code.hash, code.clientId, at(5));
        await store.setCodeFamily(code.hash, 'fam_1');
        expect(await store.redeemCode(code.hash, code.clientId, at(6))).toEqual({
          outcome: 'replayed',
          code: { ...code, usedAt: at(5).toISOString(), familyId: 'fam_1' },
        });
      });

      it('refuses to save a code over one already saved, so a used code stays used', async () => {
        const store = await setup();
        const code = aCode();
        await store.saveCode(code);
        await store.redeemCode(code.hash, code.clientId, at(5));
        await expect(store.saveCode({ ...code, clientId: 'ak_other' })).rejects.toThrow();
        expect(await store.redeemCode(code.hash, code.clientId, at(6))).toEqual({
          outcome: 'replayed',
          code: { ...code, usedAt: at(5).toISOString() },
        });
      });

      it('does not make an unknown code redeemable by setting its family', async () => {
        const store = await setup();
        const hash = unique('code');
        await store.setCodeFamily(hash, 'fam_1');
        expect(await store.redeemCode(hash, 'ak_1', at(0))).toEqual({ outcome: 'invalid' });
      });
    });
  });
}
