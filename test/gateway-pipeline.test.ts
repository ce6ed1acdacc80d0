import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerApi } from './support/apis.ts';
import { createApp } from './support/console.ts';
import { as, call, rawGet } from './support/http.ts';
import { adminToken, tokenFor } from './support/oauth.ts';
import { portico, uniqueName } from './support/platform.ts';
import { type TestUpstream, useUpstreams } from './support/upstream.ts';
import { sleep } from './support/wait.ts';

/**
 * The invoke pipeline stage by stage, against the local runtime: each API is registered through the
 * console and served by a scriptable upstream in this process.
 */
let admin: string;
let token: string;
let sandboxToken: string;
let appId: string;
const upstream = useUpstreams();

/** Registers an API named after `base` (a name of its own) and waits until the gateway serves it. */
const register = (base: string, definition: Record<string, unknown>) =>
  registerApi(admin, uniqueName(base), definition);

const get = (path: string, headers: Record<string, string> = {}, bearer = token) =>
  as(bearer).get(path, headers);

const post = (path: string, body: string, contentType = 'application/json', bearer = token) =>
  call(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': contentType },
    body,
  });

beforeAll(async () => {
  admin = await adminToken();
  const created = await createApp(admin, {
    name: 'Pipeline test app',
    innerId: 'u-7',
    scopes: ['pipe:read', 'pipe:write'],
  });
  appId = created.appId;
  token = await tokenFor(created.clientId, created.clientSecret, 'pipe:read');
  const sandbox = await as(admin).send('POST', `/console/v1/apps/${appId}/credentials`, {
    environment: 'sandbox',
  });
  expect(sandbox.status).toBe(201);
  sandboxToken = await tokenFor(sandbox.body.clientId, sandbox.body.clientSecret, 'pipe:read');
});

describe('authentication, scopes and identity', () => {
  it('forwards the verified identity and trace context, never the caller’s copies', async () => {
    const up = await upstream();
    const name = await register('ident', { upstreams: [{ url: up.url }], requiredScopes: ['pipe:read'] });
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const answer = await get(`/apis/${name}/who`, {
      traceparent,
      'x-portico-app-id': 'app_forged',
      'x-portico-inner-id': 'root',
      'x-forwarded-for': '10.9.9.9',
      'x-real-ip': '10.9.9.9',
    });
    expect(answer.status).toBe(200);
    const seen = up.received.at(-1)!;
    expect(seen.headers['x-portico-app-id']).toBe(appId);
    expect(seen.headers['x-portico-inner-id']).toBe('u-7');
    expect(seen.headers['x-portico-scopes']).toBe('pipe:read');
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.headers['x-real-ip']).toBeUndefined();
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen.headers.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
  });

  it('refuses a missing token (401), a missing scope (403) and an auth mode the API does not take (403)', async () => {
    const up = await upstream();
    const scoped = await register('scoped', {
      upstreams: [{ url: up.url }],
      routes: [
        { method: 'GET', path: '/items' },
        { method: 'POST', path: '/items', requiredScopes: ['pipe:write'] },
      ],
    });
    const anonymous = await call(`/apis/${scoped}/items`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await get(`/apis/${scoped}/items`)).status).toBe(200);
    const noScope = await post(`/apis/${scoped}/items`, '{}');
    expect(noScope.status).toBe(403);
    expect(noScope.body.missingScopes).toEqual(['pipe:write']);
    expect(noScope.headers.get('www-authenticate')).toContain('insufficient_scope');

    const signedOnly = await register('signed-only', {
      upstreams: [{ url: up.url }],
      authModes: ['signature'],
    });
    const refused = await get(`/apis/${signedOnly}/x`);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/access tokens/);
    expect(up.hits()).toBe(1);
  });
});

describe('rate limits', () => {
  it('applies an app’s own plan instead of the API’s policy', async () => {
    const up = await upstream();
    const name = await register('planned', {
      upstreams: [{ url: up.url }],
      rateLimits: { appApi: { limit: 1000, windowSeconds: 3600 } },
    });
    const created = await as(admin).send('POST', '/console/v1/apps', {
      name: 'Small plan',
      rateLimits: { appApi: { limit: 2, windowSeconds: 3600 } },
    });
    expect(created.status).toBe(201);
    expect(created.body.rateLimits).toEqual({ appApi: { limit: 2, windowSeconds: 3600 } });
    const [credential] = created.body.credentials;
    const small = await tokenFor(credential.clientId, credential.clientSecret);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(`/apis/${name}/x`, {}, small)).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await get(`/apis/${name}/x`)).status).toBe(200); // the API's own budget for other apps
  });
});

describe('request validation', () => {
  let name: string;
  let up: TestUpstream;
  beforeAll(async () => {
    up = await upstream();
    name = await register('orders', {
      upstreams: [{ url: up.url }],
      routes: [
        {
          method: 'POST',
          path: '/orders',
          requestSchema: {
            type: 'object',
            properties: { sku: { type: 'string', minLength: 3 }, qty: { type: 'integer', minimum: 1 } },
            required: ['sku', 'qty'],
            additionalProperties: false,
          },
        },
        { method: 'GET', path: '/orders/{orderId}' },
      ],
    });
  });

  it('passes a valid request and lists every violation of an invalid one', async () => {
    expect((await post(`/apis/${name}/orders`, '{"sku":"abc","qty":2}')).status).toBe(200);
    const hits = up.hits();
    const invalid = await post(`/apis/${name}/orders`, '{"sku":"a","qty":0,"extra":true}');
    expect(invalid.status).toBe(400);
    expect(invalid.body.type).toBe('urn:portico:problem:validation-failed');
    expect(invalid.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/extra',
      '/qty',
      '/sku',
    ]);
    expect(up.hits()).toBe(hits);
  });

  it('answers 415, 400, 404, 405 and 413 without calling the upstream', async () => {
    const hits = up.hits();
    const wrongType = await post(`/apis/${name}/orders`, 'sku=abc', 'application/x-www-form-urlencoded');
    expect(wrongType.status).toBe(415);
    expect((await post(`/apis/${name}/orders`, '{"sku":')).body.type).toBe(
      'urn:portico:problem:malformed-body',
    );
    expect((await get(`/apis/${name}/nowhere`)).status).toBe(404);
    const wrongMethod = await as(token).send('DELETE', `/apis/${name}/orders/42`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toContain('GET');
    const huge = await post(`/apis/${name}/orders`, JSON.stringify({ sku: 'x'.repeat(1_100_000), qty: 1 }));
    expect(huge.status).toBe(413);
    const climbing = await rawGet(`/apis/${name}/orders/..%2f..%2fadmin`, {
      authorization: `Bearer ${token}`,
    });
    expect(climbing.status).toBe(400);
    expect(up.hits()).toBe(hits);
  });
});

describe('CORS and header filters', () => {
  it('answers a preflight from the API settings, refuses an unknown origin, and adds headers to answers', async () => {
    const up = await upstream();
    up.behaviour = () => ({ headers: { 'x-internal-host': 'db-7', 'x-visible': 'yes', server: 'secret' } });
    const name = await register('cors', {
      upstreams: [{ url: up.url }],
      cors: {
        allowOrigins: ['https://app.example'],
        allowHeaders: ['authorization', 'content-type'],
        maxAgeSeconds: 120,
      },
      headers: { request: { deny: ['x-debug'] }, response: { deny: ['x-internal-host'] } },
    });
    const options = (headers: Record<string, string>) =>
      call(`/apis/${name}/things`, { method: 'OPTIONS', headers });
    const preflight = await options({
      origin: 'https://app.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(preflight.headers.get('access-control-max-age')).toBe('120');
    const foreign = await options({
      origin: 'https://evil.example',
      'access-control-request-method': 'POST',
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    // Neither preflight reached the upstream (the platform's own health probe of it may have).
    expect(up.received.filter((r) => r.method === 'OPTIONS' && r.headers.origin)).toEqual([]);

    const answer = await get(`/apis/${name}/things`, {
      origin: 'https://app.example',
      'x-debug': '1',
      'x-kept': 'k',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(answer.headers.get('x-visible')).toBe('yes');
    expect(answer.headers.get('x-internal-host')).toBeNull();
    expect(answer.headers.get('server')).not.toBe('secret');
    expect(up.received[0]!.headers['x-debug']).toBeUndefined();
    expect(up.received[0]!.headers['x-kept']).toBe('k');
  });
});

describe('mock and sandbox', () => {
  it('answers from mock rules and from the response schema, never calling the upstream', async () => {
    const up = await upstream();
    const schema = {
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        total: { type: 'integer', minimum: 0, maximum: 99 },
      },
      required: ['id', 'total'],
      additionalProperties: false,
    };
    const name = await register('mocked', {
      upstreams: [{ url: up.url }],
      routes: [{ method: 'GET', path: '/orders/{id}', responseSchema: schema }],
      mock: {
        enabled: true,
        rules: [{ method: 'GET', path: '/orders/special', status: 202, body: { special: true } }],
      },
    });
    const ruled = await get(`/apis/${name}/orders/special`);
    expect(ruled.status).toBe(202);
    expect(ruled.body).toEqual({ special: true });
    expect(ruled.headers.get('x-portico-mock')).toBe('true');
    const generated = await get(`/apis/${name}/orders/42`);
    expect(generated.status).toBe(200);
    expect(generated.body.id).toMatch(/^[0-9a-f-]{36}$/i);
    expect(Number.isInteger(generated.body.total)).toBe(true);
    expect(Object.keys(generated.body).sort()).toEqual(['id', 'total']);
    expect(up.hits()).toBe(0);
  });

  it('sends sandbox credentials to the sandbox upstream, or to the mock when there is none', async () => {
    const production = await upstream();
    const sandbox = await upstream();
    const withSandbox = await register('sbx', {
      upstreams: [{ url: production.url }],
      sandboxUpstream: { url: sandbox.url },
    });
    expect((await get(`/apis/${withSandbox}/x`, {}, sandboxToken)).status).toBe(200);
    expect(sandbox.hits()).toBe(1);
    expect(sandbox.received[0]!.headers['x-portico-sandbox']).toBe('true');
    expect((await get(`/apis/${withSandbox}/x`)).status).toBe(200);
    expect(production.hits()).toBe(1);

    const mockOnly = await register('sbx-mock', {
      upstreams: [{ url: production.url }],
      mock: {
        enabled: false,
        rules: [{ method: 'ANY', path: '/{rest+}', status: 200, body: { sandbox: 'mock' } }],
      },
    });
    const mocked = await get(`/apis/${mockOnly}/a/b`, {}, sandboxToken);
    expect(mocked.body).toEqual({ sandbox: 'mock' });
    expect(production.hits()).toBe(1);
  });
});

describe('timeouts, breakers, bulkheads and upstream balancing', () => {
  it('answers 504 when the upstream hangs past the API timeout', async () => {
    const up = await upstream();
    up.behaviour = () => ({ delayMs: 3000 });
    const name = await register('hang', { upstreams: [{ url: up.url }], timeoutMs: 400 });
    const started = Date.now();
    const answer = await get(`/apis/${name}/slow`);
    const took = Date.now() - started;
    expect(answer.status).toBe(504);
    expect(answer.body.type).toBe('urn:portico:problem:upstream-timeout');
    expect(took).toBeGreaterThanOrEqual(400);
    expect(took).toBeLessThan(2500);
  });

  it('opens on failures, admits a bounded number of half-open probes, and closes on recovery', async () => {
    const up = await upstream();
    let failing = true;
    up.behaviour = () => (failing ? { status: 500 } : { delayMs: 300 });
    const name = await register('flaky', {
      upstreams: [{ url: up.url }],
      circuitBreaker: { consecutiveFailures: 3, openBaseMs: 1500, openMaxMs: 3000, halfOpenProbes: 2 },
    });
    for (let i = 0; i < 3; i++) expect((await get(`/apis/${name}/x`)).status).toBe(500);
    const open = await get(`/apis/${name}/x`);
    expect(open.status).toBe(503);
    expect(open.body.type).toBe('urn:portico:problem:circuit-open');
    expect(Number(open.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(up.hits()).toBe(3);

    failing = false;
    await sleep(1700);
    const before = up.hits();
    const burst = await Promise.all(Array.from({ length: 12 }, () => get(`/apis/${name}/x`)));
    const statuses = burst.map((b) => b.status);
    // Only the probes reach the recovering upstream; the rest of the burst is refused at once.
    expect(up.hits() - before).toBeLessThanOrEqual(2);
    expect(statuses.filter((s) => s === 200).length).toBe(up.hits() - before);
    expect(statuses.filter((s) => s === 503).length).toBe(12 - (up.hits() - before));

    await expect
      .poll(async () => (await get(`/apis/${name}/x`)).status, { timeout: 5000, interval: 100 })
      .toBe(200);
    const after = await Promise.all(Array.from({ length: 6 }, () => get(`/apis/${name}/x`)));
    expect(after.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
  });

  it('answers with the API’s degrade response while the breaker is open', async () => {
    const up = await upstream();
    up.behaviour = () => ({ status: 503 });
    const name = await register('degraded', {
      upstreams: [{ url: up.url }],
      circuitBreaker: { consecutiveFailures: 2, openBaseMs: 10_000 },
      degradeResponse: { status: 200, body: { items: [], degraded: true } },
    });
    await get(`/apis/${name}/x`);
    await get(`/apis/${name}/x`);
    const degraded = await get(`/apis/${name}/x`);
    expect(degraded.status).toBe(200);
    expect(degraded.body).toEqual({ items: [], degraded: true });
    expect(up.hits()).toBe(2);
  });

  it('moves traffic to the healthy server when one of two is down', async () => {
    const healthy = await upstream();
    const down = await upstream();
    await down.stop();
    const name = await register('pair', { upstreams: [{ url: healthy.url }, { url: down.url }] });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await get(`/apis/${name}/x`)).status);
    expect(statuses).toEqual(Array(20).fill(200));
    expect(healthy.hits()).toBe(20);
  });

  it('fills a bulkhead with slow calls and answers the overflow with a fast 503, while another group is served', async () => {
    const up = await upstream();
    up.behaviour = () => ({ delayMs: 1500 });
    const name = await register('crowded', {
      upstreams: [{ url: up.url }],
      bulkheadGroup: uniqueName('crowd'),
    });
    const other = await register('uncrowded', { upstreams: [{ url: (await upstream()).url }] });
    const started = Date.now();
    const crowd = Promise.all(Array.from({ length: 40 }, () => get(`/apis/${name}/x`)));
    // While the crowded group's slots are all taken by calls that last 1.5 s, the other group answers.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const meanwhile = await get(`/apis/${other}/x`);
    const answeredAfterMs = Date.now() - started;
    const answers = await crowd;
    expect(meanwhile.status).toBe(200);
    expect(answeredAfterMs).toBeLessThan(1500);
    const full = answers.filter((a) => a.status === 503);
    expect(full.length).toBeGreaterThan(0);
    expect(full[0]!.body.type).toBe('urn:portico:problem:bulkhead-full');
    expect(answers.filter((a) => a.status === 200).length).toBe(up.hits());
  });
});

describe('unknown APIs', () => {
  it('answers 404 unknown-api with problem+json', async () => {
    const answer = await get('/apis/no-such-api-here/x');
    expect(answer.status).toBe(404);
    expect(answer.body.type).toBe('urn:portico:problem:unknown-api');
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(portico().baseUrl).toBeTruthy();
  });
});

describe('hostile input over HTTP', () => {
  it('never answers 5xx itself and forwards only requests that match a route and its schema', async () => {
    const up = await upstream();
    const name = await register('hostile', {
      upstreams: [{ url: up.url }],
      routes: [
        {
          method: 'POST',
          path: '/orders',
          requestSchema: {
            type: 'object',
            properties: { sku: { type: 'string', maxLength: 20 } },
            required: ['sku'],
            additionalProperties: false,
          },
        },
        { method: 'GET', path: '/orders/{id}' },
      ],
    });
    const methods = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH');
    const paths = fc.oneof(
      fc.constantFrom('/orders', '/orders/1', '/orders/%41', '/orders/%zz', '/x/../orders', '/orders/a%2fb'),
      fc.webPath(),
    );
    const bodies = fc.oneof(
      fc.constantFrom(
        '{"sku":"abc"}',
        '{"sku":1}',
        '{"sku":"a","x":1}',
        '[[[[[[[[',
        '',
        'x'.repeat(1_100_000),
      ),
      fc.json({ maxDepth: 3 }),
    );
    const contentTypes = fc.constantFrom(
      'application/json',
      'text/plain',
      'application/merge-patch+json',
      '',
    );
    const queries = fc.string({ maxLength: 40 }).map((q) => encodeURIComponent(q));
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        methods,
        paths,
        bodies,
        contentTypes,
        queries,
        async (method, path, body, contentType, query) => {
          const before = up.hits();
          const hasBody = method !== 'GET' && body !== '';
          const answer = await call(`/apis/${name}${path.startsWith('/') ? path : `/${path}`}?${query}`, {
            method,
            headers: {
              authorization: `Bearer ${token}`,
              ...(contentType ? { 'content-type': contentType } : {}),
            },
            ...(hasBody ? { body } : {}),
          });
          sent++;
          expect(answer.status).toBeLessThan(500);
          const forwarded = up.received.slice(before);
          for (const request of forwarded) {
            const [requestPath] = request.path.split('?');
            if (request.method === 'GET') expect(requestPath).toMatch(/^\/orders\/[^/]+$/);
            else {
              expect([request.method, requestPath]).toEqual(['POST', '/orders']);
              const parsed = JSON.parse(request.body);
              expect(Object.keys(parsed)).toEqual(['sku']);
              expect(typeof parsed.sku).toBe('string');
            }
          }
        },
      ),
      // Random inputs alone may all be refused: two valid calls first, so forwarding is exercised too.
      {
        numRuns: 80,
        examples: [
          ['GET', '/orders/1', '', '', ''],
          ['POST', '/orders', '{"sku":"abc"}', 'application/json', 'a%3D1'],
        ],
      },
    );
    expect(sent).toBe(80);
    expect(up.hits()).toBeGreaterThan(0);
  });
});
