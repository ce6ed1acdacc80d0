import { createLocalJWKSet, importJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { IdentityTokenSigner, identityClaims } from '../shared/identity/identity-token.ts';
import { generateSigningKey, publicJwks } from '../shared/identity/signing-keys.ts';
import { createIdentityVerifier, type IdentityFailureReason } from './identity-verifier.ts';

const ISSUER = 'https://portico.example';
const NOW = Date.parse('2026-12-04T10:00:00Z');
const key = await generateSigningKey(new Date(NOW), 'current');
const stranger = await generateSigningKey(new Date(NOW), 'current');
const keys = createLocalJWKSet(publicJwks({ keys: [key] }));
const signer = new IdentityTokenSigner(key.privateJwk, key.kid);
const call = {
  issuer: ISSUER,
  api: 'orders',
  appId: 'app_1',
  clientId: 'ak_1',
  innerId: 'user-7',
  scopes: ['orders:read', 'orders:write'],
  sandbox: false,
  requestId: 'req-1',
  method: 'post',
  path: '/v1/orders/42',
  nowMs: NOW,
};
const request = { method: 'POST', path: '/v1/orders/42' };
const verifier = (over: { api?: string; atMs?: number } = {}) =>
  createIdentityVerifier({
    issuer: ISSUER,
    api: 'orders',
    ...over,
    keys,
    now: () => (over.atMs ?? NOW + 1_000) / 1000,
  });

async function refusal(promise: Promise<unknown>): Promise<IdentityFailureReason> {
  const error = await promise.then(
    () => {
      throw new Error('accepted');
    },
    (e: { reason: IdentityFailureReason }) => e,
  );
  return error.reason;
}

describe('identity tokens', () => {
  it('carry who called, for which API and request, to an upstream that verifies them', async () => {
    const token = signer.sign(identityClaims({ ...call, requestId: 'req-ok' }));
    expect(await verifier().verify(token, request)).toEqual({
      appId: 'app_1',
      clientId: 'ak_1',
      innerId: 'user-7',
      scopes: ['orders:read', 'orders:write'],
      sandbox: false,
      requestId: 'req-ok',
      api: 'orders',
    });
  });

  it('are refused when missing, forged, stale, for another API or request, or used twice', async () => {
    const v = verifier();
    expect(await refusal(v.verify(undefined, request))).toBe('missing');
    const forged = new IdentityTokenSigner(stranger.privateJwk, key.kid).sign(identityClaims(call));
    expect(await refusal(v.verify(forged, request))).toBe('invalid');
    const tampered = signer.sign(identityClaims(call)).replace(/\.[^.]+\./, (p) => `${p.slice(0, -2)}x.`);
    expect(await refusal(v.verify(tampered, request))).toBe('invalid');
    const old = signer.sign(identityClaims({ ...call, requestId: 'req-old' }));
    expect(await refusal(verifier({ atMs: NOW + 120_000 }).verify(old, request))).toBe('expired');
    const other = signer.sign(identityClaims({ ...call, api: 'billing', requestId: 'req-other' }));
    expect(await refusal(v.verify(other, request))).toBe('wrong-api');
    const elsewhere = signer.sign(identityClaims({ ...call, requestId: 'req-path' }));
    expect(await refusal(v.verify(elsewhere, { method: 'POST', path: '/v1/orders/43' }))).toBe(
      'wrong-request',
    );
    expect(await refusal(v.verify(elsewhere, { method: 'DELETE', path: '/v1/orders/42' }))).toBe(
      'wrong-request',
    );
    const once = signer.sign(identityClaims({ ...call, requestId: 'req-once' }));
    await v.verify(once, request);
    expect(await refusal(v.verify(once, request))).toBe('replayed');
  });

  it('are not access tokens: a JWT of another type, signed with the same key, is refused', async () => {
    const privateKey = await importJWK(key.privateJwk, 'ES256');
    const accessToken = await new SignJWT({ ...identityClaims({ ...call, requestId: 'req-at' }) })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid })
      .sign(privateKey);
    expect(await refusal(verifier().verify(accessToken, request))).toBe('invalid');
  });
});
