import { describe, expect, it } from 'vitest';
import { adminToken, basic, call } from './support/client.ts';

async function newApp(name: string) {
  const created = await call('/console/v1/apps', {
    method: 'POST',
    headers: { authorization: `Bearer ${await adminToken()}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, scopes: ['echo:read'] }),
  });
  return created.body.credentials[0] as { clientId: string; clientSecret: string };
}

const tokenRequest = (clientId: string, secret: string, extra: Record<string, string> = {}) =>
  call('/oauth2/token', {
    method: 'POST',
    headers: { authorization: basic(clientId, secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...extra }),
  });

describe('token limits', () => {
  it('honours a usage limit: a token asked with max_uses=2 passes the gateway twice, then never again', async () => {
    const { clientId, clientSecret } = await newApp('Counted');
    const issued = await tokenRequest(clientId, clientSecret, { max_uses: '2', expires_in: '300' });
    expect(issued.body).toMatchObject({ expires_in: 300 });
    const use = async () =>
      (await call('/apis/echo/count', { headers: { authorization: `Bearer ${issued.body.access_token}` } }))
        .status;
    expect(await use()).toBe(200);
    expect(await use()).toBe(200);
    const third = await call('/apis/echo/count', {
      headers: { authorization: `Bearer ${issued.body.access_token}` },
    });
    expect(third.status).toBe(401);
    expect(third.body.detail).toMatch(/usage limit/);
  });

  it('throttles a client after repeated failed authentications, even with the right secret, and says when to retry', async () => {
    const { clientId, clientSecret } = await newApp('Guessed');
    // Failures are counted per clock minute: do not let the attempts straddle two minutes.
    const secondsLeft = 60 - new Date().getUTCSeconds();
    if (secondsLeft < 10) await new Promise((r) => setTimeout(r, secondsLeft * 1000 + 200));
    for (let i = 0; i < 10; i++) expect((await tokenRequest(clientId, `sk_guess_${i}`)).status).toBe(401);
    const blocked = await tokenRequest(clientId, clientSecret);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toBe('invalid_client');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
