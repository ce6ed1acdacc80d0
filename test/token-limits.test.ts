import { describe, expect, it } from 'vitest';
import { createApp } from './support/console.ts';
import { as } from './support/http.ts';
import { adminToken, clientCredentials as tokenRequest } from './support/oauth.ts';
import { untilMinuteHasRoom } from './support/wait.ts';

const newApp = async (name: string) => createApp(await adminToken(), { name, scopes: ['echo:read'] });

describe('token limits', () => {
  it('honours a usage limit: a token asked with max_uses=2 passes the gateway twice, then never again', async () => {
    const { clientId, clientSecret } = await newApp('Counted');
    const issued = await tokenRequest(clientId, clientSecret, { max_uses: '2', expires_in: '300' });
    expect(issued.body).toMatchObject({ expires_in: 300 });
    const use = async () => (await as(issued.body.access_token).get('/apis/echo/count')).status;
    expect(await use()).toBe(200);
    expect(await use()).toBe(200);
    const third = await as(issued.body.access_token).get('/apis/echo/count');
    expect(third.status).toBe(401);
    expect(third.body.detail).toMatch(/usage limit/);
  });

  it('throttles a client after repeated failed authentications, even with the right secret, and says when to retry', async () => {
    const { clientId, clientSecret } = await newApp('Guessed');
    // Failures are counted per clock minute: do not let the attempts straddle two minutes.
    await untilMinuteHasRoom(10);
    for (let i = 0; i < 10; i++) expect((await tokenRequest(clientId, `sk_guess_${i}`)).status).toBe(401);
    const blocked = await tokenRequest(clientId, clientSecret);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toBe('invalid_client');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
