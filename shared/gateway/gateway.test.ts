import type { Context } from 'aws-lambda';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { httpHandler } from '../http/middleware.ts';
import type { HttpResult } from '../http/types.ts';
import { createLogger } from '../observability.ts';
import { UpstreamFailure } from './forward.ts';
import { clientResponseHeaders } from './headers.ts';
import { invokeGateway } from './http/api-gateway.ts';
import type { UpstreamCall, UpstreamTransport } from './ports.ts';
import { gatewayEvent, inMemoryGateway, signedAuthorization } from './testing/in-memory-gateway.ts';

type Sent = { url: string; call: UpstreamCall };

/** An upstream transport answering with `answer`'s Response (or throwing what it throws). */
function stubTransport(
  answer: (url: string) => Response | Promise<Response> = () => Response.json({ ok: true }),
) {
  const calls: Sent[] = [];
  const transport: UpstreamTransport = async (call) => {
    calls.push({ url: String(call.url), call });
    const response = await answer(String(call.url));
    return {
      status: response.status,
      headers: clientResponseHeaders(response.headers),
      body: Buffer.from(await response.arrayBuffer()),
      upstreamLatencyMs: 1,
    };
  };
  return { calls, transport };
}

const context = { awsRequestId: 'ctx', functionName: 'gateway' } as Context;
const logger = createLogger('gateway-test');
logger.setLogLevel('SILENT');

async function setup(
  answer?: (url: string) => Response | Promise<Response>,
  bulkheads?: { defaultMaxInFlight: number },
) {
  const upstream = stubTransport(answer);
  const platform = await inMemoryGateway({
    transport: upstream.transport,
    ...(bulkheads ? { bulkheads } : {}),
  });
  const handler = httpHandler(logger, invokeGateway(platform.gateway));
  const invoke = (event: Parameters<typeof handler>[0]) => handler(event, context) as Promise<HttpResult>;
  const app = await platform.newApp(['orders:read', 'orders:write']);
  const token = await platform.tokenFor(app, 'orders:read');
  return { ...platform, upstream, invoke, app, token, bearer: { authorization: `Bearer ${token}` } };
}

const bodyOf = (result: HttpResult) =>
  JSON.parse(result.isBase64Encoded ? Buffer.from(result.body!, 'base64').toString() : result.body!);

describe('Gateway pipeline', () => {
  let t: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    t = await setup(
      () =>
        new Response('{"ok":true}', {
          headers: { 'content-type': 'application/json', server: 'x', 'x-portico-app-id': 'forged' },
        }),
    );
  });

  it('forwards a token call with the verified identity and records it', async () => {
    await t.put({ name: 'orders', partnerId: 'acme', routes: [{ method: 'GET', path: '/orders/{id}' }] });
    const result = await t.invoke(
      gatewayEvent('GET', 'orders', '/orders/7', {
        headers: {
          ...t.bearer,
          'x-portico-app-id': 'spoof',
          traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        },
        query: 'a=1',
      }),
    );
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({ ok: true });
    expect(result.headers.server).toBeUndefined();
    expect(result.headers['x-portico-app-id']).toBeUndefined();
    const [sent] = t.upstream.calls;
    expect(sent!.url).toBe('http://upstream.test/orders/7?a=1');
    const { headers } = sent!.call;
    expect(headers['x-portico-app-id']).toBe(t.app.app.appId);
    expect(headers['x-portico-inner-id']).toBe('user-1');
    expect(headers.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-/);
    expect(headers.authorization).toBeUndefined();
    expect(t.records.at(-1)).toMatchObject({
      api: 'orders',
      route: 'GET /orders/{id}',
      status: 200,
      appId: t.app.app.appId,
      partnerId: 'acme',
      upstream: 'http://upstream.test',
      traceId: '0af7651916cd43dd8448eb211c80319c',
    });
  });

  it("captures each call for the request log with its span, the caller's span, query, bodies and the API's log policy", async () => {
    await t.put({
      name: 'orders',
      routes: [{ method: 'POST', path: '/orders' }],
      requestLog: { maxBodyBytes: 100, redact: ['$.card'] },
    });
    const result = await t.invoke(
      gatewayEvent('POST', 'orders', '/orders', {
        headers: {
          ...t.bearer,
          'content-type': 'application/json',
          traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        },
        query: 'x=1',
        body: '{"card":"4111"}',
      }),
    );
    expect(result.statusCode).toBe(200);
    const capture = t.captures.at(-1)!;
    expect(capture.call).toBe(t.records.at(-1));
    expect(capture).toMatchObject({
      parentSpanId: 'b7ad6b7169203331',
      spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
      rawQuery: 'x=1',
      policy: { maxBodyBytes: 100, redact: ['$.card'] },
      response: { headers: expect.objectContaining({ 'content-type': 'application/json' }) },
    });
    expect(capture.requestBody?.toString()).toBe('{"card":"4111"}');
    expect(Buffer.from(capture.response!.body!).toString()).toBe('{"ok":true}');
    // The span sent upstream as the parent is this call's own.
    expect(t.upstream.calls.at(-1)!.call.headers.traceparent).toContain(`-${capture.spanId}-`);

    // A refused call is captured too, without an answer (the edge renders the problem), and with the
    // default policy when no API was found.
    await t.invoke(gatewayEvent('GET', 'nope', '/x', { headers: t.bearer }));
    expect(t.captures.at(-1)).toMatchObject({
      call: { status: 404 },
      policy: { maxBodyBytes: 4_096, redact: [] },
    });
    expect(t.captures.at(-1)!.response).toBeUndefined();
  });

  it('forwards a signed call', async () => {
    await t.put({ name: 'orders' });
    const authorization = signedAuthorization(t.app, 'GET', 'orders', '/list', 'x=1');
    const result = await t.invoke(
      gatewayEvent('GET', 'orders', '/list', { headers: { authorization }, query: 'x=1' }),
    );
    expect(result.statusCode).toBe(200);
    expect(t.upstream.calls).toHaveLength(1);
    const replay = await t.invoke(
      gatewayEvent('GET', 'orders', '/list', { headers: { authorization }, query: 'x=1' }),
    );
    expect(replay.statusCode).toBe(401);
    expect(t.upstream.calls).toHaveLength(1);
  });

  it('answers 404 unknown-api and records the failure', async () => {
    const result = await t.invoke(gatewayEvent('GET', 'nope', '/x', { headers: t.bearer }));
    expect(result.statusCode).toBe(404);
    expect(bodyOf(result).type).toBe('urn:portico:problem:unknown-api');
    expect(t.records.at(-1)).toMatchObject({ status: 404, errorType: 'unknown-api' });
  });

  it('spends the rate-limit budget, then answers 429 with headers, without calling the upstream', async () => {
    await t.put({ name: 'orders', rateLimits: { appApi: { limit: 2, windowSeconds: 3600 } } });
    const statuses = [];
    let last: HttpResult | undefined;
    for (let i = 0; i < 3; i++) {
      last = await t.invoke(gatewayEvent('GET', 'orders', '/x', { headers: t.bearer }));
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(last!.headers['retry-after']).toBeDefined();
    expect(last!.headers.ratelimit).toBeDefined();
    expect(t.upstream.calls).toHaveLength(2);
  });

  it('applies the app’s own plan instead of the API’s policy for the app dimensions', async () => {
    await t.put({ name: 'orders', rateLimits: { appApi: { limit: 100, windowSeconds: 3600 } } });
    const planned = await t.newApp(['orders:read']);
    const app = t.apps.apps.get(planned.app.appId)!;
    t.apps.apps.set(app.appId, { ...app, rateLimits: { appApi: { limit: 1, windowSeconds: 3600 } } });
    const bearer = { authorization: `Bearer ${await t.tokenFor(planned)}` };
    const statuses = [];
    for (let i = 0; i < 2; i++)
      statuses.push((await t.invoke(gatewayEvent('GET', 'orders', '/x', { headers: bearer }))).statusCode);
    expect(statuses).toEqual([200, 429]);
    // Another app still gets the API's own budget.
    expect((await t.invoke(gatewayEvent('GET', 'orders', '/x', { headers: t.bearer }))).statusCode).toBe(200);
  });

  it('mocks, and keeps sandbox credentials away from production upstreams', async () => {
    await t.put({
      name: 'orders',
      mock: { enabled: true, rules: [{ method: 'GET', path: '/x', status: 201, body: { m: 1 } }] },
    });
    const mocked = await t.invoke(gatewayEvent('GET', 'orders', '/x', { headers: t.bearer }));
    expect(mocked.statusCode).toBe(201);
    expect(bodyOf(mocked)).toEqual({ m: 1 });

    const sandboxApp = await t.newApp(['orders:read'], 'sandbox');
    const sandboxToken = await t.tokenFor(sandboxApp);
    await t.put({ name: 'sbx', sandboxUpstream: { url: 'http://sandbox.test' } });
    await t.put({ name: 'plain' });
    await new Promise((r) => setTimeout(r, 1100)); // new names are found after the next index check
    const routed = await t.invoke(
      gatewayEvent('GET', 'sbx', '/x', { headers: { authorization: `Bearer ${sandboxToken}` } }),
    );
    expect(routed.statusCode).toBe(200);
    expect(t.upstream.calls.map((c) => c.url)).toEqual(['http://sandbox.test/x']);
    const noSandbox = await t.invoke(
      gatewayEvent('GET', 'plain', '/x', { headers: { authorization: `Bearer ${sandboxToken}` } }),
    );
    expect(noSandbox.statusCode).toBe(404);
    expect(bodyOf(noSandbox).detail).toMatch(/mock/);
    expect(t.upstream.calls).toHaveLength(1);
  });

  it('answers a CORS preflight without authentication and adds CORS headers to errors', async () => {
    await t.put({ name: 'orders', cors: { allowOrigins: ['https://app.example'] } });
    const origin = { origin: 'https://app.example' };
    const preflight = await t.invoke(
      gatewayEvent('OPTIONS', 'orders', '/x', {
        headers: { ...origin, 'access-control-request-method': 'GET' },
      }),
    );
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example');
    const unauthenticated = await t.invoke(gatewayEvent('GET', 'orders', '/x', { headers: origin }));
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.headers['access-control-allow-origin']).toBe('https://app.example');
  });

  it('answers a dependency outage with 503, Retry-After and CORS headers, and records it as such', async () => {
    await t.put({ name: 'orders', cors: { allowOrigins: ['https://app.example'] } });
    const timeout = Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
    t.apps.getCredential = async () => {
      throw timeout;
    };
    const authorization = signedAuthorization(t.app, 'GET', 'orders', '/x', '');
    const result = await t.invoke(
      gatewayEvent('GET', 'orders', '/x', { headers: { authorization, origin: 'https://app.example' } }),
    );
    expect(result.statusCode).toBe(503);
    expect(bodyOf(result).type).toBe('urn:portico:problem:service-unavailable');
    expect(result.headers['retry-after']).toBe('3');
    expect(result.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(t.records.at(-1)).toMatchObject({ status: 503, errorType: 'service-unavailable' });
    expect(t.upstream.calls).toHaveLength(0);
  });
});

describe('Gateway resilience', () => {
  it('answers a full bulkhead with a fast 503 and frees the slot afterwards', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const t = await setup(
      async () => {
        await gate;
        return Response.json({ ok: true });
      },
      { defaultMaxInFlight: 1 },
    );
    await t.put({ name: 'orders' });
    const first = t.invoke(gatewayEvent('GET', 'orders', '/x', { headers: t.bearer }));
    await new Promise((r) => setTimeout(r, 20));
    const second = await t.invoke(gatewayEvent('GET', 'orders', '/x', { headers: t.bearer }));
    expect(second.statusCode).toBe(503);
    expect(bodyOf(second).type).toBe('urn:portico:problem:bulkhead-full');
    release();
    expect((await first).statusCode).toBe(200);
    expect((await t.invoke(gatewayEvent('GET', 'orders', '/x', { headers: t.bearer }))).statusCode).toBe(200);
  });

  it('sends a call whose connection was refused to the other server', async () => {
    const refused = new UpstreamFailure('refused', 'The upstream could not be reached.');
    const t = await setup((url) => {
      if (url.startsWith('http://down.test')) throw refused;
      return Response.json({ ok: true });
    });
    await t.put({ name: 'orders', upstreams: [{ url: 'http://down.test' }, { url: 'http://up.test' }] });
    const statuses = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await t.invoke(gatewayEvent('GET', 'orders', '/x', { headers: t.bearer }))).statusCode);
    expect(statuses).toEqual(Array(10).fill(200));
    // Passive ejection: after three refusals the down server is no longer picked at all.
    expect(t.upstream.calls.filter((c) => c.url.startsWith('http://down.test')).length).toBe(3);
  });

  it('opens the breaker after consecutive failures and answers 503 circuit-open without calling', async () => {
    const t = await setup(() => new Response('boom', { status: 500 }));
    await t.put({
      name: 'orders',
      circuitBreaker: { consecutiveFailures: 3, openBaseMs: 60_000, openMaxMs: 60_000 },
    });
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await t.invoke(gatewayEvent('GET', 'orders', '/x', { headers: t.bearer }))).statusCode);
    expect(statuses).toEqual([500, 500, 500, 503, 503]);
    expect(t.upstream.calls).toHaveLength(3);
    expect(t.records.at(-1)).toMatchObject({ status: 503, errorType: 'circuit-open' });
  });

  it('maps a timeout to 504 and a broken upstream to 502', async () => {
    const timeout = new UpstreamFailure('timeout', 'The upstream did not answer within 1000 ms.');
    const t = await setup((url) => {
      if (url.includes('/slow')) throw timeout;
      throw new UpstreamFailure('broken', 'The upstream could not be reached.');
    });
    await t.put({ name: 'orders' });
    expect((await t.invoke(gatewayEvent('GET', 'orders', '/slow', { headers: t.bearer }))).statusCode).toBe(
      504,
    );
    const broken = await t.invoke(gatewayEvent('GET', 'orders', '/broken', { headers: t.bearer }));
    expect(broken.statusCode).toBe(502);
    expect(bodyOf(broken).type).toBe('urn:portico:problem:bad-gateway');
  });
});

describe('Gateway under hostile input', () => {
  const schema = {
    type: 'object',
    properties: { sku: { type: 'string', maxLength: 20 }, qty: { type: 'integer', minimum: 1 } },
    required: ['sku', 'qty'],
    additionalProperties: false,
  };

  it('never answers 5xx itself and never calls the upstream with an invalid request', async () => {
    const t = await setup();
    await t.put({
      name: 'orders',
      requiredScopes: ['orders:read'],
      routes: [
        { method: 'POST', path: '/orders', requestSchema: schema },
        { method: 'GET', path: '/orders/{id}' },
        { method: 'PUT', path: '/files/{key+}' },
      ],
    });
    const methods = fc.oneof(
      { arbitrary: fc.constantFrom('GET', 'POST', 'PUT'), weight: 3 },
      {
        arbitrary: fc.constantFrom('DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'get', 'X\u0000'),
        weight: 1,
      },
    );
    const paths = fc.oneof(
      { arbitrary: fc.constantFrom('/orders', '/orders/1', '/files/a/b'), weight: 3 },
      fc.constantFrom(
        '/orders',
        '/orders/1',
        '/files/a/b',
        '/',
        '',
        '/orders/%',
        '/orders/%E0%A4%A',
        '/../x',
        '/a%2fb',
        '/orders/\u0000',
      ),
      fc.string({ maxLength: 300 }).map((s) => `/${s}`),
      fc.webPath(),
    );
    const bodies = fc.oneof(
      fc.constant(undefined),
      fc.json(),
      fc.string({ maxLength: 500 }),
      fc.constantFrom(
        '{"sku":"abc","qty":2}',
        '{"sku":"abc","qty":0}',
        '['.repeat(5000),
        '{"__proto__":{"x":1},"sku":"a","qty":1}',
      ),
      fc.nat({ max: 1_200_000 }).map((n) => 'x'.repeat(n % 3 === 0 ? n : n % 2000)),
    );
    const headers = fc.dictionary(
      fc.oneof(
        fc.constantFrom(
          'content-type',
          'origin',
          'x-portico-app-id',
          'connection',
          'traceparent',
          'x-forwarded-for',
        ),
        fc.string({ minLength: 1, maxLength: 40 }),
      ),
      fc.oneof(
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/vnd.x+json; charset=utf-8',
          'keep-alive, authorization',
        ),
        fc.string({ maxLength: 200 }),
      ),
      { maxKeys: 12 },
    );
    const auth = fc.oneof(
      { arbitrary: fc.constantFrom('token', 'signature'), weight: 3 },
      fc.constantFrom('none', 'garbage'),
    );
    const isValid = (
      method: string,
      path: string,
      body: string | undefined,
      contentType: string | undefined,
    ) => {
      if (method === 'GET') return /^\/orders\/[^/%]+$/.test(path);
      if (method === 'PUT') return /^\/files\/.+/.test(path);
      if (method !== 'POST' || path !== '/orders') return false;
      if (!/^application\/(json|[^;]*\+json)\s*(;|$)/i.test(contentType ?? '')) return false;
      try {
        const value = JSON.parse(body ?? '');
        return (
          value &&
          typeof value === 'object' &&
          !Array.isArray(value) &&
          typeof value.sku === 'string' &&
          value.sku.length <= 20 &&
          Number.isInteger(value.qty) &&
          value.qty >= 1 &&
          Object.keys(value).every((k) => k === 'sku' || k === 'qty')
        );
      } catch {
        return false;
      }
    };

    let forwarded = 0;
    await fc.assert(
      fc.asyncProperty(
        methods,
        paths,
        headers,
        bodies,
        fc.string({ maxLength: 100 }),
        auth,
        async (method, path, extra, body, query, mode) => {
          const before = t.upstream.calls.length;
          const requestHeaders: Record<string, string> = { ...extra };
          if (mode === 'token') requestHeaders.authorization = `Bearer ${t.token}`;
          if (mode === 'garbage') requestHeaders.authorization = 'Bearer eyJ.garbage.x';
          if (mode === 'signature') {
            try {
              requestHeaders.authorization = signedAuthorization(
                t.app,
                method,
                'orders',
                path,
                query,
                body ?? '',
                requestHeaders['content-type'],
              );
            } catch {
              requestHeaders.authorization = 'Portico-HMAC-SHA256 key="x", ts="1", nonce="n", sig="s"'; // unsignable
            }
          }
          let result: HttpResult;
          try {
            result = await t.invoke(
              gatewayEvent(method, 'orders', path, {
                headers: requestHeaders,
                query,
                ...(body !== undefined ? { body } : {}),
              }),
            );
          } catch {
            return; // a path the URL parser refuses outright never reaches the pipeline
          }
          expect(result.statusCode).toBeLessThan(500);
          const reached = t.upstream.calls.length > before;
          if (reached) {
            forwarded++;
            expect(['token', 'signature']).toContain(mode);
            expect(
              isValid(
                method,
                path,
                body,
                Object.entries(extra).find(([k]) => k.toLowerCase() === 'content-type')?.[1],
              ),
            ).toBe(true);
          }
        },
      ),
      { numRuns: 400 },
    );
    // The property is only worth something if valid calls do get through.
    expect(forwarded).toBeGreaterThan(5);
  });
});
