import { describe, expect, it, vi } from 'vitest';
import { AppTokenCache } from './app-token-cache.ts';

const answer = (token: string, expiresIn = 300) => ({
  access_token: token,
  token_type: 'Bearer' as const,
  expires_in: expiresIn,
  scope: 'echo:read',
});

describe('app token cache', () => {
  it('reuses a token until shortly before it expires', async () => {
    let now = 0;
    const fetchToken = vi.fn(async (appId: string) => answer(`${appId}-${fetchToken.mock.calls.length}`));
    const tokens = new AppTokenCache(fetchToken, 10_000, () => now);
    expect(await tokens.tokenFor('app1')).toBe('app1-1');
    now = 289_000;
    expect(await tokens.tokenFor('app1')).toBe('app1-1');
    now = 291_000;
    expect(await tokens.tokenFor('app1')).toBe('app1-2');
    expect(await tokens.tokenFor('app2')).toBe('app2-3');
  });

  it('shares one request between concurrent asks and forgets on demand', async () => {
    const fetchToken = vi.fn(async () => answer(`t${fetchToken.mock.calls.length}`));
    const tokens = new AppTokenCache(fetchToken, 10_000, () => 0);
    expect(await Promise.all([tokens.tokenFor('a'), tokens.tokenFor('a')])).toEqual(['t1', 't1']);
    tokens.forget('a');
    expect(await tokens.tokenFor('a')).toBe('t2');
    tokens.forget();
    expect(await tokens.tokenFor('a')).toBe('t3');
  });

  it('does not keep a failure', async () => {
    const fetchToken = vi.fn().mockRejectedValueOnce(new Error('nope')).mockResolvedValueOnce(answer('ok'));
    const tokens = new AppTokenCache(fetchToken, 10_000, () => 0);
    await expect(tokens.tokenFor('a')).rejects.toThrow('nope');
    expect(await tokens.tokenFor('a')).toBe('ok');
  });
});
