import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderErrorReporter } from '../sdk/provider-error-reporter.ts';
import { registerApi } from './support/apis.ts';
import { consoleToken, createApp } from './support/console.ts';
import { as, basic, call } from './support/http.ts';
import { adminToken, tokenFor } from './support/oauth.ts';
import { portico, uniqueName } from './support/platform.ts';
import { eventually } from './support/wait.ts';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const CLIENT_SPAN = 'b7ad6b7169203331';

let admin: string;
let viewer: string;
let token: string;
let front: string;
let back: string;
let middle: string;
let backKey: { keyId: string; secret: string };
let frontKey: { keyId: string; secret: string };
const reported: unknown[] = [];

/** The back API's service: answers, and reports a failure of its own against the call it served. */
const backService = http.createServer(async (req, res) => {
  req.resume();
  const reporter = new ProviderErrorReporter({ baseUrl: portico().baseUrl, ...backKey });
  reported.push(
    await reporter.report(req.headers.traceparent, { message: 'stock cache miss', code: 'CACHE' }),
  );
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"stock":3}');
});

/** A service that calls `next()`'s API through the gateway, passing on the trace it received. */
const relay = (next: () => string) =>
  http.createServer(async (req, res) => {
    req.resume();
    const answer = await as(token).get(`/apis/${next()}/x`, { traceparent: String(req.headers.traceparent) });
    res.writeHead(answer.status === 200 ? 200 : 502, { 'content-type': 'application/json' }).end('{"ok":1}');
  });
const middleService = relay(() => back);
const frontService = relay(() => middle);

const listen = async (server: http.Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const newKey = async (api: string) => {
  const answer = await as(admin).send('POST', `/console/v1/apis/${api}/provider-keys`);
  expect(answer.status, answer.text).toBe(201);
  return answer.body as { keyId: string; secret: string; api: string };
};

beforeAll(async () => {
  admin = await adminToken();
  viewer = await consoleToken(admin, 'viewer');
  back = await registerApi(admin, uniqueName('stock'), {
    upstreams: [{ url: await listen(backService) }],
    requiredScopes: ['echo:read'],
  });
  middle = await registerApi(admin, uniqueName('payments'), {
    upstreams: [{ url: await listen(middleService) }],
    requiredScopes: ['echo:read'],
  });
  front = await registerApi(admin, uniqueName('orders'), {
    upstreams: [{ url: await listen(frontService) }],
    requiredScopes: ['echo:read'],
  });
  backKey = await newKey(back);
  frontKey = await newKey(front);
  const app = await createApp(admin, { name: 'chain app', scopes: ['echo:read'] });
  token = await tokenFor(app.clientId, app.clientSecret);
  const answer = await as(token).get(`/apis/${front}/orders/1`, {
    traceparent: `00-${TRACE}-${CLIENT_SPAN}-01`,
  });
  expect(answer.status).toBe(200);
});
afterAll(() => {
  backService.close();
  middleService.close();
  frontService.close();
});

describe('call chains', () => {
  it('shows a three-level cascade as a tree, each call with its API, latency and result, and the provider’s report', async () => {
    expect(reported).toHaveLength(1);
    const tree = await eventually(async () => {
      const answer = await as(viewer).get(`/console/v1/traces/${TRACE}`);
      return answer.status === 200 && answer.body.calls === 3 ? answer.body : undefined;
    }, 30_000);
    expect(tree).toMatchObject({ traceId: TRACE, calls: 3, failed: 1 });
    expect(tree.roots).toHaveLength(1);
    const [root] = tree.roots;
    expect(root).toMatchObject({ api: front, parentSpanId: CLIENT_SPAN, status: 200, ok: true, errors: [] });
    expect(root.latencyMs).toBeGreaterThan(0);
    // Each service passed on the traceparent it got: each call's parent is the call that made it.
    expect(root.children).toHaveLength(1);
    const [second] = root.children;
    expect(second).toMatchObject({ api: middle, parentSpanId: root.spanId, status: 200, errors: [] });
    expect(second.children).toHaveLength(1);
    expect(second.children[0]).toMatchObject({
      api: back,
      parentSpanId: second.spanId,
      status: 200,
      children: [],
      errors: [{ api: back, code: 'CACHE', message: 'stock cache miss', keyId: backKey.keyId }],
    });
    // A caller's latency covers its callee's.
    expect(root.latencyMs).toBeGreaterThan(second.latencyMs);
  });

  it('keeps a provider to its own API’s calls: another API’s key reports, but never on this call', async () => {
    const tree = (await as(viewer).get(`/console/v1/traces/${TRACE}`)).body;
    const backSpan = tree.roots[0].children[0].children[0].spanId;
    const foreign = await call(`/v1/traces/${TRACE}/errors`, {
      method: 'POST',
      headers: { authorization: basic(frontKey.keyId, frontKey.secret), 'content-type': 'application/json' },
      body: JSON.stringify({ spanId: backSpan, message: 'not mine' }),
    });
    expect(foreign.status).toBe(201);
    const after = (await as(viewer).get(`/console/v1/traces/${TRACE}`)).body;
    expect(after.roots[0].children[0].children[0].errors.map((e: { message: string }) => e.message)).toEqual([
      'stock cache miss',
    ]);
  });

  it('refuses reports without the provider key, and keys to anyone but an admin', async () => {
    const post = (
      authorization: string | undefined,
      body: unknown = { spanId: '00f067aa0ba902b7', message: 'm' },
    ) =>
      call(`/v1/traces/${TRACE}/errors`, {
        method: 'POST',
        headers: { ...(authorization ? { authorization } : {}), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    for (const authorization of [
      undefined,
      basic(backKey.keyId, 'wrong'),
      basic('pk_000000000000000000000000', 'x'),
      `Bearer ${token}`,
    ]) {
      const answer = await post(authorization);
      expect(answer.status, authorization).toBe(401);
      expect(answer.headers.get('www-authenticate')).toContain('Basic');
    }
    expect((await post(basic(backKey.keyId, backKey.secret), { message: 'no span' })).status).toBe(400);
    expect((await as(viewer).send('POST', `/console/v1/apis/${back}/provider-keys`)).status).toBe(403);
    expect((await as(admin).send('POST', '/console/v1/apis/no-such-api/provider-keys')).status).toBe(404);
    expect((await as(viewer).get('/console/v1/traces/not-a-trace')).status).toBe(400);
    expect((await as(viewer).get(`/console/v1/traces/${'e'.repeat(32)}`)).status).toBe(404);

    // A deleted key reports no more; another API's name does not delete it.
    expect(
      (await as(admin).send('DELETE', `/console/v1/apis/${front}/provider-keys/${backKey.keyId}`)).status,
    ).toBe(404);
    expect(
      (await as(admin).send('DELETE', `/console/v1/apis/${back}/provider-keys/${backKey.keyId}`)).status,
    ).toBe(204);
    expect((await post(basic(backKey.keyId, backKey.secret))).status).toBe(401);
  });
});
