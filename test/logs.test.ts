import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { s256Challenge } from '../shared/identity/pkce.ts';
import { signRequest } from '../shared/identity/request-signing.ts';
import { adminToken, basic, call, portico, tokenFor } from './support/client.ts';

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
    const created = await call('/console/v1/apps', {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Log probe', scopes: ['echo:read'], redirectUris: [redirectUri] }),
    });
    const [{ clientId, clientSecret }] = created.body.credentials;
    const token = await tokenFor(clientId, clientSecret);
    await call('/apis/echo/log-probe', { headers: { authorization: `Bearer ${token}` } });
    await call('/oauth2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: `${clientSecret}x`,
      }),
    });

    // Authorization code flow: code, refresh token, and a wrong then right password.
    const verifier = 'k'.repeat(50);
    const page = await call(
      `/oauth2/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', code_challenge: s256Challenge(verifier), code_challenge_method: 'S256' })}`,
    );
    const requestId = /name="request_id" value="([^"]+)"/.exec(page.text)![1]!;
    const consent = (password: string) =>
      fetch(`${portico().baseUrl}/oauth2/authorize`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          request_id: requestId,
          username: portico().user.username,
          password,
          decision: 'approve',
        }),
      });
    const wrongPassword = `wrong-${portico().user.password}`;
    await consent(wrongPassword);
    const code = new URL((await consent(portico().user.password)).headers.get('location')!).searchParams.get(
      'code',
    )!;
    const exchanged = await call('/oauth2/token', {
      method: 'POST',
      headers: {
        authorization: basic(clientId, clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }),
    });
    const refreshToken = exchanged.body.refresh_token as string;
    await call('/oauth2/token', {
      method: 'POST',
      headers: {
        authorization: basic(clientId, clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    });

    const signed = signRequest(
      { method: 'GET', path: '/apis/echo/signed', rawQueryString: '', body: '' },
      { clientId, secret: clientSecret },
    );
    await call('/apis/echo/signed', { headers: { authorization: signed.authorization } });
    await new Promise((r) => setTimeout(r, 500));

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
