import { beforeAll, describe, expect, it } from 'vitest';
import { putApi } from './support/apis.ts';
import { as, call } from './support/http.ts';
import { adminToken, demoToken } from './support/oauth.ts';
import { portico, uniqueName } from './support/platform.ts';
import { untilMinuteHasRoom } from './support/wait.ts';

/** The API registry through the console: validated on write, revisioned, and live at the gateway within 10 s. */
describe('API registry', () => {
  let admin: string;
  let demo: string;
  const put = (name: string, body: unknown, headers: Record<string, string> = {}) =>
    putApi(admin, name, body, headers);

  beforeAll(async () => {
    admin = await adminToken();
    demo = await demoToken();
  });

  it.each([
    ['a missing upstream', { timeoutMs: 1000 }, '/upstreams'],
    ['a non-http upstream', { upstreams: [{ url: 'ftp://x' }], timeoutMs: 1000 }, '/upstreams/0/url'],
    ['a timeout beyond API Gateway', { upstreams: [{ url: 'http://x' }], timeoutMs: 60_000 }, '/timeoutMs'],
    [
      'a malformed CIDR',
      { upstreams: [{ url: 'http://x' }], timeoutMs: 1000, ipRules: { allow: ['10.0.0.0/33'] } },
      '/ipRules/allow/0',
    ],
    [
      'a credentialed CORS policy for any origin',
      {
        upstreams: [{ url: 'http://x' }],
        timeoutMs: 1000,
        cors: { allowOrigins: ['*'], allowCredentials: true },
      },
      '/cors/allowOrigins',
    ],
    [
      'a route schema that does not compile',
      {
        upstreams: [{ url: 'http://x' }],
        timeoutMs: 1000,
        routes: [{ method: 'POST', path: '/o', requestSchema: { type: 'nonsense' } }],
      },
      '/routes/0/requestSchema',
    ],
    ['an unknown member', { upstreams: [{ url: 'http://x' }], timeoutMs: 1000, colour: 'blue' }, '/colour'],
  ])('refuses %s with 400 naming the member', async (_what, body, pointer) => {
    const response = await put('bad-api', body);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    expect((await as(admin).get('/console/v1/apis/bad-api')).status).toBe(404);
  });

  it('applies the IP rules of an API before anything else', async () => {
    const body = {
      upstreams: [{ url: portico().upstreamUrl }],
      timeoutMs: 3000,
      ipRules: { deny: ['127.0.0.0/8'] },
    };
    const gateway = async () => (await as(demo).get('/apis/walled/x')).status;
    expect((await put('walled', body)).status).toBe(201);
    // A new API is known to the gateway after its next registry check (about a second).
    await expect.poll(gateway, { timeout: 10_000, interval: 200 }).toBe(403);
    const blocked = await as(demo).get('/apis/walled/x');
    expect(blocked.body.detail).toMatch(/network address/);
    expect((await put('walled', { ...body, ipRules: { allow: ['127.0.0.1/32', '::1/128'] } })).status).toBe(
      200,
    );
    await expect.poll(gateway, { timeout: 10_000, interval: 500 }).toBe(200);
  });

  it('registers, revises with If-Match, serves within 10 s at the gateway, and removes', async () => {
    const definition = {
      upstreams: [{ url: portico().upstreamUrl }],
      timeoutMs: 3000,
      authModes: ['signature'],
    };
    const created = await put('orders', definition);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'orders', version: '1', revision: 1, requiredScopes: [] });
    expect(created.headers.get('etag')).toBe('"1"');

    const gateway = async () => (await as(demo).get('/apis/orders/list')).status;
    await expect.poll(gateway, { timeout: 10_000, interval: 500 }).toBe(403); // tokens not accepted yet

    expect((await put('orders', { ...definition, authModes: ['token'] }, { 'if-match': '"7"' })).status).toBe(
      409,
    );
    const revised = await put('orders', { ...definition, authModes: ['token'] }, { 'if-match': '"1"' });
    expect(revised.status).toBe(200);
    expect(revised.body.revision).toBe(2);
    await expect.poll(gateway, { timeout: 10_000, interval: 500 }).toBe(200);

    const listed = await as(admin).get('/console/v1/apis');
    expect(listed.body.items.map((a: { name: string }) => a.name)).toEqual(
      expect.arrayContaining(['echo', 'orders']),
    );

    const deleted = await as(admin).send('DELETE', '/console/v1/apis/orders');
    expect(deleted.status).toBe(204);
    await expect.poll(gateway, { timeout: 10_000, interval: 500 }).toBe(404);

    const audit = await as(admin).get('/console/v1/audit?limit=50');
    const actions = audit.body.items
      .filter((e: { target: { id: string } }) => e.target.id === 'orders')
      .map((e: { action: string }) => e.action);
    expect(actions.sort()).toEqual(['api.create', 'api.delete', 'api.update']);
  });

  it('creates only with If-None-Match: *, and takes back a definition as it was read', async () => {
    const name = uniqueName('create-once');
    const definition = { upstreams: [{ url: portico().upstreamUrl }], timeoutMs: 3000 };
    expect((await put(name, definition, { 'if-none-match': '*' })).status).toBe(201);
    const again = await put(name, { ...definition, timeoutMs: 4000 }, { 'if-none-match': '*' });
    expect(again.status).toBe(409);
    const read = await as(admin).get(`/console/v1/apis/${name}`);
    expect(read.body.timeoutMs).toBe(3000);
    // The revision and time the registry keeps come back with the read: saving it back is fine.
    const savedBack = await put(
      name,
      { ...read.body, description: 'Read, edited, saved' },
      { 'if-match': '"1"' },
    );
    expect(savedBack.status, savedBack.text).toBe(200);
    expect(savedBack.body).toMatchObject({ revision: 2, description: 'Read, edited, saved' });
    await as(admin).send('DELETE', `/console/v1/apis/${name}`);
  });
});

describe('rate limits at the gateway', () => {
  it('admits the limit per window, then answers 429 with RateLimit headers and Retry-After', async () => {
    const admin = await adminToken();
    const token = await demoToken();
    const created = await putApi(admin, 'limited', {
      upstreams: [{ url: portico().upstreamUrl }],
      timeoutMs: 3000,
      rateLimits: { appApi: { limit: 3, windowSeconds: 60 } },
    });
    expect(created.status).toBe(201);
    // Served once the gateway's registry view knows the API; OPTIONS spends no rate-limit budget.
    await expect
      .poll(async () => (await call('/apis/limited/x', { method: 'OPTIONS' })).status, {
        timeout: 10_000,
        interval: 200,
      })
      .not.toBe(404);
    // Windows are aligned on the clock minute: do not let the five calls straddle two of them.
    await untilMinuteHasRoom(5);
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 5; i++) {
      last = await as(token).get('/apis/limited/x');
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect(last!.headers.get('content-type')).toBe('application/problem+json');
    expect(last!.body.type).toBe('urn:portico:problem:rate-limited');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.headers.get('ratelimit-policy')).toContain('q=3');
  });
});
