import { beforeAll, describe, expect, it } from 'vitest';
import { registerApi } from './support/apis.ts';
import { createApp } from './support/console.ts';
import { rawGet } from './support/http.ts';
import { adminToken, tokenFor } from './support/oauth.ts';
import { uniqueName } from './support/platform.ts';
import { type TestUpstream, useUpstreams } from './support/upstream.ts';

/**
 * One canonical path for route matching, scope checks and the forwarded request: `//`, dot segments
 * and encoded slashes cannot make the gateway check one route while the upstream resolves another.
 */
describe('canonical request paths at the gateway', () => {
  const startUpstream = useUpstreams();
  let upstream: TestUpstream;
  let token: string;
  const name = uniqueName('probe2');

  beforeAll(async () => {
    upstream = await startUpstream();
    const admin = await adminToken();
    await registerApi(admin, name, {
      upstreams: [{ url: upstream.url }],
      timeoutMs: 3000,
      routes: [
        { method: 'GET', path: '/public/{rest+}' },
        { method: 'GET', path: '/admin/{rest+}', requiredScopes: ['probe:admin'] },
      ],
    });
    const { clientId, clientSecret } = await createApp(admin, {
      name: 'probe caller',
      scopes: ['probe:read'],
    });
    token = await tokenFor(clientId, clientSecret);
  });

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
