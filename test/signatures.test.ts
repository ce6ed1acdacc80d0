import { beforeAll, describe, expect, it } from 'vitest';
import { PorticoClient } from '../sdk/portico-client.ts';
import { signRequest } from '../shared/identity/request-signing.ts';
import { createApp } from './support/console.ts';
import { as, call } from './support/http.ts';
import { adminToken, tokenFor } from './support/oauth.ts';
import { portico } from './support/platform.ts';
import { sleep } from './support/wait.ts';

/** HMAC-signed gateway calls: the SDK signs, the gateway verifies, replays and stale or tampered requests fail. */
describe('signed gateway requests', () => {
  let app: { appId: string; clientId: string; clientSecret: string };
  let admin: string;

  beforeAll(async () => {
    admin = await adminToken();
    app = await createApp(admin, { name: 'Signing app', scopes: ['echo:read'], innerId: 'signer-1' });
  });

  const sendSigned = (path: string, signed: { authorization: string }, init: RequestInit = {}) =>
    call(path, { ...init, headers: { ...(init.headers as object), authorization: signed.authorization } });
  const sign = (
    path: string,
    secret = app.clientSecret,
    extra: Partial<Parameters<typeof signRequest>[1]> = {},
    method = 'GET',
  ) => {
    const url = new URL(path, 'http://x');
    return signRequest(
      { method, path: url.pathname, rawQueryString: url.search.slice(1), body: '' },
      { clientId: app.clientId, secret, ...extra },
    );
  };

  it('lets the SDK call an API with a signature, identifying the app upstream', async () => {
    const client = new PorticoClient({
      baseUrl: portico().baseUrl,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
    });
    const response = await client.call('echo', '/orders?b=2&a=1', {
      method: 'POST',
      auth: 'signature',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ n: 1 }),
    });
    expect(response.status).toBe(200);
    const echoed = (await response.json()) as { headers: Record<string, string>; body: string };
    expect(echoed.headers).toMatchObject({ 'x-portico-app-id': app.appId, 'x-portico-inner-id': 'signer-1' });
    expect(echoed.headers.authorization).toBeUndefined();
    expect(echoed.body).toBe('{"n":1}');
  });

  it('refuses the same signed request twice inside the window', async () => {
    const signed = sign('/apis/echo/once');
    expect((await sendSigned('/apis/echo/once', signed)).status).toBe(200);
    const replay = await sendSigned('/apis/echo/once', signed);
    expect(replay.status).toBe(401);
    expect(replay.body.reason).toBe('replayed-nonce');
  });

  it('refuses a request signed outside the 300 s window', async () => {
    const stale = sign('/apis/echo/late', app.clientSecret, {
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    const response = await sendSigned('/apis/echo/late', stale);
    expect(response.status).toBe(401);
    expect(response.body.reason).toBe('stale-timestamp');
  });

  it.each([
    ['the path', '/apis/echo/other?x=1'],
    ['a query parameter', '/apis/echo/p?x=2'],
    ['the method', '/apis/echo/p?x=1', 'DELETE'],
  ])('refuses a request whose %s was changed after signing', async (_part, sentPath, method = 'GET') => {
    const signed = sign('/apis/echo/p?x=1');
    const response = await sendSigned(sentPath, signed, { method });
    expect(response.status).toBe(401);
    expect(response.body.reason).toBe('bad-signature');
  });

  it('refuses a tampered body', async () => {
    const signed = signRequest(
      {
        method: 'POST',
        path: '/apis/echo/b',
        rawQueryString: '',
        contentType: 'application/json',
        body: '{"amount":1}',
      },
      { clientId: app.clientId, secret: app.clientSecret },
    );
    const response = await sendSigned('/apis/echo/b', signed, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"amount":1000}',
    });
    expect(response.body.reason).toBe('bad-signature');
  });

  it('accepts both secrets during a rotation overlap, and the old one stops at its expiry', async () => {
    const rotated = await as(admin).send(
      'POST',
      `/console/v1/apps/${app.appId}/credentials/${app.clientId}/rotate`,
      { overlapSeconds: 3 },
    );
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body.clientSecret as string;
    expect(newSecret).not.toBe(app.clientSecret);
    // A gateway instance re-reads a client's secrets on a mismatch at most once a second.
    await sleep(1100);

    expect((await sendSigned('/apis/echo/r1', sign('/apis/echo/r1', app.clientSecret))).status).toBe(200);
    expect((await sendSigned('/apis/echo/r2', sign('/apis/echo/r2', newSecret))).status).toBe(200);
    expect(await tokenFor(app.clientId, app.clientSecret)).toBeTruthy();
    expect(await tokenFor(app.clientId, newSecret)).toBeTruthy();

    await sleep(2500);
    const old = await sendSigned('/apis/echo/r3', sign('/apis/echo/r3', app.clientSecret));
    expect(old.status).toBe(401);
    await expect(tokenFor(app.clientId, app.clientSecret)).rejects.toThrow(/401/);
    expect((await sendSigned('/apis/echo/r4', sign('/apis/echo/r4', newSecret))).status).toBe(200);
  });
});
