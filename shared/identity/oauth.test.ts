import { describe, expect, it } from 'vitest';
import { narrowScope, OAuthError, readClientAuthentication } from './oauth.ts';

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof OAuthError ? `${e.status} ${e.error}` : String(e);
  }
  return 'no error';
};

describe('readClientAuthentication', () => {
  it('reads HTTP Basic with form-encoded parts', () => {
    expect(readClientAuthentication(basic('ak_1', 'a:b c'), new Map())).toEqual({
      method: 'client_secret_basic',
      clientId: 'ak_1',
      clientSecret: 'a:b c',
    });
  });

  it('reads client_secret_post', () => {
    const params = new Map([
      ['client_id', 'ak_1'],
      ['client_secret', 's'],
    ]);
    expect(readClientAuthentication(undefined, params).method).toBe('client_secret_post');
  });

  it('reads a client_id alone as a public client (RFC 6749 section 2.1), which the client check then decides on', () => {
    expect(readClientAuthentication(undefined, new Map([['client_id', 'portico-web']]))).toEqual({
      method: 'none',
      clientId: 'portico-web',
      clientSecret: '',
    });
  });

  it('refuses two methods at once, missing credentials and other schemes', () => {
    expect(errorOf(() => readClientAuthentication(basic('a', 'b'), new Map([['client_secret', 'b']])))).toBe(
      '400 invalid_request',
    );
    expect(errorOf(() => readClientAuthentication(undefined, new Map()))).toBe('401 invalid_client');
    expect(errorOf(() => readClientAuthentication(undefined, new Map([['client_secret', 'b']])))).toBe(
      '401 invalid_client',
    );
    expect(errorOf(() => readClientAuthentication('Bearer x', new Map()))).toBe('401 invalid_client');
    expect(errorOf(() => readClientAuthentication(`Basic ${btoa('nocolon')}`, new Map()))).toBe(
      '401 invalid_client',
    );
    expect(errorOf(() => readClientAuthentication(`Basic ${btoa('%E0%A4%A:x')}`, new Map()))).toBe(
      '400 invalid_request',
    );
  });
});

describe('narrowScope', () => {
  const granted = ['echo:read', 'echo:write'];
  it('grants everything when nothing is asked', () =>
    expect(narrowScope(undefined, granted)).toBe('echo:read echo:write'));
  it('grants a subset', () => expect(narrowScope('echo:read echo:read', granted)).toBe('echo:read'));
  it('refuses more than granted', () =>
    expect(errorOf(() => narrowScope('admin', granted))).toBe('400 invalid_scope'));
  it('refuses malformed scope', () =>
    expect(errorOf(() => narrowScope('a"b', granted))).toBe('400 invalid_scope'));
});
