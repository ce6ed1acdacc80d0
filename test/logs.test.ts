import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adminToken, call, portico, tokenFor } from './support/client.ts';

/**
 * The functions log at INFO in the test run. Whatever they log, a client secret they handled or a
 * token they issued must never be in it. (The banner of `npm start` prints the demo credentials on
 * purpose; this app is created here, so its secret appears in no banner.)
 */
describe('logs', () => {
  it('never contain an app secret or an access token', async () => {
    const admin = await adminToken();
    const created = await call('/console/v1/apps', {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Log probe', scopes: ['echo:read'] }),
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
    await new Promise((r) => setTimeout(r, 500));

    const log = readFileSync(portico().logFile, 'utf8');
    expect(log).toContain(clientId);
    for (const secret of [clientSecret, `${clientSecret}x`, token, admin, token.split('.')[2]!]) {
      expect(log).not.toContain(secret);
    }
    const structured = log.split('\n').filter((line) => line.startsWith('{'));
    expect(structured.length).toBeGreaterThan(0);
    for (const line of structured) expect(line).not.toMatch(/sk_[A-Za-z0-9_-]{20,}|eyJ[A-Za-z0-9_-]{10,}\./);
  });
});
