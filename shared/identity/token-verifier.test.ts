import { describe, expect, it } from 'vitest';
import { DomainError } from '../kernel/errors.ts';
import { rotateSigningKeys } from './rotate-signing-keys.ts';
import { currentKey } from './signing-keys.ts';
import { MemoryKeyStores } from './testing/memory-stores.ts';
import { TokenVerifier } from './token-verifier.ts';
import { signAccessToken } from './tokens.ts';

const expected = { issuer: 'https://auth.test', audience: 'portico' };

async function setup(lifetimeSeconds: number) {
  const keys = new MemoryKeyStores();
  await rotateSigningKeys({ privateKeys: keys, publicKeys: keys.publicKeys }, new Date(), 30 * 86_400_000);
  const key = currentKey(await keys.load())!;
  const { accessToken } = await signAccessToken(
    { sub: 'app_1', client_id: 'ak_1', app_id: 'app_1', scope: 'a', sandbox: true },
    key,
    { ...expected, lifetimeSeconds },
    new Date(),
  );
  return { keys, accessToken, counted: keys.publicKeys };
}

describe('TokenVerifier', () => {
  it('trusts a string it verified until the token expires, and no longer', async () => {
    const { accessToken, counted } = await setup(60);
    let now = Date.now();
    const verifier = new TokenVerifier(counted, expected, { clock: () => now });
    expect((await verifier.verify(accessToken)).sandbox).toBe(true);
    now += 30_000;
    expect((await verifier.verify(accessToken)).client_id).toBe('ak_1');
    now += 31_000;
    // Past `exp` the cache gives nothing: jose (on the real clock) accepts it still, so this proves the bound.
    const cache = (verifier as unknown as { verified: Map<string, { until: number }> }).verified;
    expect(cache.get(accessToken)!.until).toBeLessThanOrEqual(now);
  });

  it('refuses a tampered token even after the genuine one was cached', async () => {
    const { accessToken, counted } = await setup(60);
    const verifier = new TokenVerifier(counted, expected);
    await verifier.verify(accessToken);
    const [h, p, s] = accessToken.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), scope: 'admin' })).toString('base64url')}.${s}`;
    await expect(verifier.verify(forged)).rejects.toBeInstanceOf(DomainError);
  });

  it('keeps no verifications when told so', async () => {
    const { accessToken, counted } = await setup(60);
    const verifier = new TokenVerifier(counted, expected, { cachedVerifications: 0 });
    await verifier.verify(accessToken);
    await verifier.verify(accessToken);
    expect((verifier as unknown as { verified: Map<string, unknown> }).verified.size).toBe(0);
  });

  it('reports a key store that is down as such, not as an invalid token', async () => {
    const { accessToken } = await setup(60);
    const down = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
    const keys = { load: () => Promise.reject(down), save: () => Promise.reject(down) };
    const verifier = new TokenVerifier(keys, expected);
    await expect(verifier.verify(accessToken)).rejects.toBe(down);
  });
});
