import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  currentAccessToken,
  refreshDelayMs,
  storeTokens,
  subscribeTokens,
  type Tokens,
  tokensFrom,
} from './token-store.ts';

const NOW = 1_700_000_000_000;

describe('the token store', () => {
  afterEach(() => storeTokens(undefined));

  it('turns a token answer into tokens that expire at an absolute time', () => {
    const tokens = tokensFrom(
      { access_token: 'a', token_type: 'Bearer', expires_in: 900, refresh_token: 'r', scope: 'openid' },
      NOW,
    );
    expect(tokens).toEqual({
      accessToken: 'a',
      refreshToken: 'r',
      expiresAt: NOW + 900_000,
      scope: 'openid',
    });
  });

  it('keeps the previous refresh token and scope when a refresh answer omits them', () => {
    const previous: Tokens = { accessToken: 'a', refreshToken: 'r', expiresAt: NOW, scope: 's' };
    const next = tokensFrom({ access_token: 'b', token_type: 'Bearer', expires_in: 60 }, NOW, previous);
    expect(next).toMatchObject({ accessToken: 'b', refreshToken: 'r', scope: 's' });
  });

  it('refreshes a minute before expiry, earlier for short lifetimes, at once when late', () => {
    const at = (seconds: number): Tokens => ({
      accessToken: 'a',
      refreshToken: 'r',
      expiresAt: NOW + seconds * 1000,
      scope: '',
    });
    expect(refreshDelayMs(at(900), NOW)).toBe(840_000);
    expect(refreshDelayMs(at(100), NOW)).toBe(80_000);
    expect(refreshDelayMs(at(-5), NOW)).toBe(0);
  });

  it('tells subscribers of every change and stops after unsubscribing', () => {
    const listener = vi.fn();
    const unsubscribe = subscribeTokens(listener);
    storeTokens({ accessToken: 'a', refreshToken: undefined, expiresAt: NOW, scope: '' });
    expect(currentAccessToken()).toBe('a');
    unsubscribe();
    storeTokens(undefined);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(currentAccessToken()).toBeUndefined();
  });
});
