import { describe, expect, it } from 'vitest';
import { authorizeUrl, readCallback, safeReturnPath } from './authorization-request.ts';

const origin = 'https://portal.example';

describe('the authorization request', () => {
  it('asks for a code with PKCE S256 and no scope', () => {
    const url = new URL(authorizeUrl({ origin, challenge: 'ch', state: 'st' }), origin);
    expect(url.pathname).toBe('/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'portico-web',
      redirect_uri: 'https://portal.example/callback',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
      state: 'st',
    });
  });
});

describe('reading the callback', () => {
  const expected = { state: 'st', issuer: origin };

  it('takes the code when the state and issuer match', () => {
    expect(readCallback(`?code=c1&state=st&iss=${encodeURIComponent(origin)}`, expected)).toEqual({
      kind: 'code',
      code: 'c1',
    });
    expect(readCallback('?code=c1&state=st', expected)).toEqual({ kind: 'code', code: 'c1' });
  });

  it('shows the error the server sent', () => {
    expect(
      readCallback('?error=access_denied&error_description=The+user+denied+the+request.', expected),
    ).toEqual({
      kind: 'error',
      message: 'The user denied the request.',
    });
    expect(readCallback('?error=server_error', expected)).toEqual({
      kind: 'error',
      message: 'Sign-in failed: server_error.',
    });
  });

  it('refuses another state, another issuer, no pending sign-in or no code', () => {
    expect(readCallback('?code=c1&state=other', expected).kind).toBe('error');
    expect(readCallback('?code=c1&state=st&iss=https://evil.example', expected).kind).toBe('error');
    expect(readCallback('?code=c1&state=st', { state: undefined, issuer: origin }).kind).toBe('error');
    expect(readCallback('?state=st', expected).kind).toBe('error');
  });
});

describe('the path to return to', () => {
  it('keeps paths of this site and drops anything else', () => {
    expect(safeReturnPath('/apis/echo?x=1#op')).toBe('/apis/echo?x=1#op');
    expect(safeReturnPath('//evil.example/')).toBe('/');
    expect(safeReturnPath('/\\evil.example')).toBe('/');
    expect(safeReturnPath('https://evil.example/')).toBe('/');
    expect(safeReturnPath('/callback?code=1')).toBe('/');
    expect(safeReturnPath(undefined)).toBe('/');
  });
});
