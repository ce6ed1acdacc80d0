import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, call, rawGet, tokenFor } from './support/client.ts';
import { TestUpstream } from './support/upstream.ts';

/**
 * One canonical path for route matching, scope checks and the forwarded request: `//`, dot segments
 * and encoded slashes cannot make the gateway check one route while the upstream resolves another.
 */
describe('canonical request paths at the gateway', () => {
  let upstream: TestUpstream;
  let token: string;
  const name = `probe2-${Date.now().toString(36)}`;

  beforeAll(async () => {
    upstream = await new TestUpstream().start();
    const admin = await adminToken();
    const send = (method: string, path: string, body: unknown) =>
      call(path, {
        method,
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const put = await send('PUT', `/console/v1/apis/${name}`, {
      upstreams: [{ url: upstream.url }],
      timeoutMs: 3000,
      routes: [
        { method: 'GET', path: '/public/{rest+}' },
        { method: 'GET', path: '/admin/{rest+}', requiredScopes: ['probe:admin'] },
      ],
    });
    expect(put.status).toBe(201);
    const app = await send('POST', '/console/v1/apps', { name: 'probe caller', scopes: ['probe:read'] });
    const [{ clientId, clientSecret }] = app.body.credentials;
    token = await tokenFor(clientId, clientSecret);
    const deadline = Date.now() + 10_000;
    while ((await call(`/apis/${name}/`, { method: 'OPTIONS' })).status === 404) {
      if (Date.now() > deadline) throw new Error(`${name} not served within 10 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  afterAll(() => upstream.stop());

  it('refuses paths whose upstream reading could differ from the route checked, forwarding nothing', async () => {
    for (const path of [
      '//public/admin/x',
      '/public//admin/x',
      '/public/%2e%2e/admin/x',
      '/public/..%2Fadmin/x',
      '/public;/admin/x',
      '/public/x%5c..%5cadmin',
    ]) {
      upstream.received.length = 0;
      const response = await rawGet(`/apis/${name}${path}`, { authorization: `Bearer ${token}` });
      expect(response.status, path).toBe(400);
      expect(response.body.type).toBe('urn:portico:problem:bad-request');
      expect(upstream.received, path).toEqual([]);
    }
  });

  it('checks the scope of the route an encoded path really names', async () => {
    const response = await rawGet(`/apis/${name}/%61dmin/x`, { authorization: `Bearer ${token}` });
    expect(response.status).toBe(403);
    expect(response.body.missingScopes).toEqual(['probe:admin']);
  });

  it('forwards the canonical form of an accepted path', async () => {
    upstream.received.length = 0;
    const response = await rawGet(`/apis/${name}/public/a%7eb/caf%c3%a9`, {
      authorization: `Bearer ${token}`,
    });
    expect(response.status).toBe(200);
    expect(upstream.received.map((r) => r.path)).toEqual(['/public/a~b/caf%C3%A9']);
  });
});
