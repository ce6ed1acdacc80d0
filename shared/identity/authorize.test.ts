import { beforeEach, describe, expect, it } from 'vitest';
import { type AuthorizeDeps, completeAuthorization, startAuthorization } from './authorize.ts';
import { s256Challenge } from './pkce.ts';
import { registerApp } from './register-app.ts';
import { FakeCipher, MemoryAppStore } from './testing/memory-stores.ts';
import { CountingFailureLimiter, MemoryAuthorizationStore } from './testing/memory-token-stores.ts';
import type { User } from './users.ts';
import { WEB_CLIENT_ID, webClient } from './web-client.ts';

const now = new Date('2026-11-23T12:00:00Z');
const REDIRECT = 'https://app.test/cb';
const challenge = s256Challenge('c'.repeat(43));
const alice: User = { userId: 'user_alice', username: 'alice', displayName: 'Alice', innerId: 'inner-alice' };

describe('authorization endpoint', () => {
  let deps: AuthorizeDeps & { authorizations: MemoryAuthorizationStore };
  let clientId: string;

  beforeEach(async () => {
    const apps = new MemoryAppStore();
    deps = {
      apps,
      authorizations: new MemoryAuthorizationStore(),
      users: { authenticate: async (u, p) => (u === 'alice' && p === 'right' ? alice : undefined) },
      failures: new CountingFailureLimiter(),
      issuer: 'https://issuer.test',
    };
    ({ clientId } = await registerApp(
      { apps, cipher: new FakeCipher() },
      { name: 'Shop', scopes: ['orders:read', 'console:admin'], redirectUris: [REDIRECT] },
      now,
    ));
  });

  const start = (params: Record<string, string>) =>
    startAuthorization(
      deps,
      {
        params: new Map(
          Object.entries({
            response_type: 'code',
            client_id: clientId,
            redirect_uri: REDIRECT,
            code_challenge: challenge,
            code_challenge_method: 'S256',
            state: 's1',
            ...params,
          }),
        ),
        duplicates: [],
      },
      now,
    );
  const redirectParams = (outcome: Awaited<ReturnType<typeof start>>) => {
    expect(outcome.kind).toBe('redirect');
    return new URL((outcome as { location: string }).location).searchParams;
  };

  it.each([
    [{ client_id: 'ak_unknown' }, /unknown or disabled/],
    [{ redirect_uri: 'https://evil.test/cb' }, /not registered/],
  ])('shows an error page, never a redirect, for %j', async (params, message) => {
    const outcome = await start(params);
    expect(outcome).toMatchObject({ kind: 'error-page', status: 400 });
    expect((outcome as { message: string }).message).toMatch(message);
  });

  it.each([
    [{ response_type: 'token' }, 'unsupported_response_type'],
    [{ code_challenge: '' }, 'invalid_request'],
    [{ code_challenge_method: 'plain' }, 'invalid_request'],
    [{ code_challenge: 'short' }, 'invalid_request'],
    [{ scope: 'payments:write' }, 'invalid_scope'],
    [{ scope: 'console:admin' }, 'invalid_scope'],
  ])('redirects errors back to the client for %j', async (params, error) => {
    const query = redirectParams(await start(params));
    expect(query.get('error')).toBe(error);
    expect(query.get('state')).toBe('s1');
    expect(query.get('iss')).toBe('https://issuer.test');
  });

  it('never lets a user grant a console scope, even when the app holds one', async () => {
    const outcome = await start({});
    expect(outcome.kind).toBe('consent');
    expect((outcome as { request: { scope: string } }).request.scope).toBe('orders:read');
  });

  it('issues a code for the right password, re-asks on a wrong one, and honours a denial', async () => {
    const consent = (await start({})) as { request: { id: string } };
    const form = (fields: Record<string, string>) =>
      new Map(Object.entries({ request_id: consent.request.id, ...fields }));
    const wrong = await completeAuthorization(
      deps,
      form({ username: 'alice', password: 'nope', decision: 'approve' }),
      '203.0.113.1',
      now,
    );
    expect(wrong).toMatchObject({ kind: 'consent', error: 'Wrong username or password.' });
    const approved = redirectParams(
      await completeAuthorization(
        deps,
        form({ username: 'alice', password: 'right', decision: 'approve' }),
        '203.0.113.1',
        now,
      ),
    );
    expect(approved.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(approved.get('state')).toBe('s1');
    const [code] = [...deps.authorizations.codes.values()];
    expect(code).toMatchObject({
      subject: 'user_alice',
      innerId: 'inner-alice',
      codeChallenge: challenge,
      redirectUri: REDIRECT,
    });
    // The request is spent: the same form cannot mint a second code.
    expect((await completeAuthorization(deps, form({ decision: 'approve' }), '203.0.113.1', now)).kind).toBe(
      'error-page',
    );

    const other = (await start({})) as { request: { id: string } };
    const denied = redirectParams(
      await completeAuthorization(
        deps,
        new Map([
          ['request_id', other.request.id],
          ['decision', 'deny'],
        ]),
        '203.0.113.1',
        now,
      ),
    );
    expect(denied.get('error')).toBe('access_denied');
  });

  it('expires a pending request after ten minutes', async () => {
    const consent = (await start({})) as { request: { id: string } };
    const later = new Date(now.getTime() + 601_000);
    const outcome = await completeAuthorization(
      deps,
      new Map([
        ['request_id', consent.request.id],
        ['decision', 'approve'],
      ]),
      '203.0.113.1',
      later,
    );
    expect(outcome.kind).toBe('error-page');
  });

  it('signs a person in to the web app with their own scopes, whatever the request asks for', async () => {
    const web = webClient('http://127.0.0.1:3000', now);
    await deps.apps.createApp(web.app, web.credential);
    const admin: User = { ...alice, scopes: ['console:operator', 'orders:read'], developerId: 'dev_x' };
    deps.users = { authenticate: async (u, p) => (u === 'alice' && p === 'right' ? admin : undefined) };
    const consent = await start({
      client_id: WEB_CLIENT_ID,
      redirect_uri: 'http://127.0.0.1:3000/callback',
      scope: 'console:admin',
    });
    expect(consent).toMatchObject({ kind: 'consent', request: { scope: '' } });
    const approved = redirectParams(
      await completeAuthorization(
        deps,
        new Map(
          Object.entries({
            request_id: (consent as { request: { id: string } }).request.id,
            username: 'alice',
            password: 'right',
            decision: 'approve',
          }),
        ),
        '203.0.113.1',
        now,
      ),
    );
    expect(approved.get('code')).toBeTruthy();
    // The portal, and the console role the account holds: not the role asked for, not its other scopes.
    expect([...deps.authorizations.codes.values()][0]).toMatchObject({
      clientId: WEB_CLIENT_ID,
      scope: 'portal console:operator',
      subject: 'user_alice',
    });
  });

  it('sends the web app back only to its own origin', async () => {
    const web = webClient('http://127.0.0.1:3000', now);
    await deps.apps.createApp(web.app, web.credential);
    const outcome = await start({ client_id: WEB_CLIENT_ID, redirect_uri: 'http://127.0.0.1:3001/callback' });
    expect(outcome).toMatchObject({ kind: 'error-page', status: 400 });
  });
});
