import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { s256Challenge } from '../shared/identity/pkce.ts';
import { signRequest } from '../shared/identity/request-signing.ts';
import { createApp } from './support/console.ts';
import { as, basic, call, form } from './support/http.ts';
import { adminToken, approve, requestIdOf, tokenFor } from './support/oauth.ts';
import { portico } from './support/platform.ts';
import { sleep } from './support/wait.ts';

/**
 * The functions log at INFO in the test run. Whatever they log, no secret they handled may appear:
 * app secrets, access and refresh tokens, authorization codes, user passwords, request signatures.
 * (The banner of `npm start` prints the demo credentials on purpose; everything checked here is made
 * in this test, so it appears in no banner.)
 */
describe('logs', () => {
  it('never contain a secret, a token, a code, a password or a signature', async () => {
    const admin = await adminToken();
    const redirectUri = 'http://127.0.0.1:9/cb';
    const { clientId, clientSecret } = await createApp(admin, {
      name: 'Log probe',
      scopes: ['echo:read'],
      redirectUris: [redirectUri],
    });
    const token = await tokenFor(clientId, clientSecret);
    await as(token).get('/apis/echo/log-probe');
    await call(
      '/oauth2/token',
      form({ grant_type: 'client_credentials', client_id: clientId, client_secret: `${clientSecret}x` }),
    );

    // Authorization code flow: code, refresh token, and a wrong then right password.
    const verifier = 'k'.repeat(50);
    const page = await call(
      `/oauth2/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', code_challenge: s256Challenge(verifier), code_challenge_method: 'S256' })}`,
    );
    const requestId = requestIdOf(page.text);
    const wrongPassword = `wrong-${portico().user.password}`;
    await approve(requestId, { password: wrongPassword });
    const code = new URL((await approve(requestId)).headers.get('location')!).searchParams.get('code')!;
    const client = { authorization: basic(clientId, clientSecret) };
    const exchanged = await call(
      '/oauth2/token',
      form(
        { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier },
        client,
      ),
    );
    const refreshToken = exchanged.body.refresh_token as string;
    await call('/oauth2/token', form({ grant_type: 'refresh_token', refresh_token: refreshToken }, client));

    const signed = signRequest(
      { method: 'GET', path: '/apis/echo/signed', rawQueryString: '', body: '' },
      { clientId, secret: clientSecret },
    );
    await call('/apis/echo/signed', { headers: { authorization: signed.authorization } });
    await sleep(500);

    const log = readFileSync(portico().logFile, 'utf8');
    expect(log).toContain(clientId);
    const signature = /sig="([^"]+)"/.exec(signed.authorization)![1]!;
    for (const secret of [
      clientSecret,
      `${clientSecret}x`,
      token,
      token.split('.')[2]!,
      admin,
      code,
      refreshToken,
      wrongPassword,
      verifier,
      signature,
    ]) {
      expect(log).not.toContain(secret);
    }
    const structured = log.split('\n').filter((line) => line.startsWith('{'));
    expect(structured.length).toBeGreaterThan(0);
    for (const line of structured)
      expect(line).not.toMatch(/sk_[A-Za-z0-9_-]{20,}|rt_[A-Za-z0-9_-]{20,}|eyJ[A-Za-z0-9_-]{10,}\./);
  });
});
