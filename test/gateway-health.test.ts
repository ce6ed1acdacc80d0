import { beforeAll, describe, expect, it } from 'vitest';
import { analyticsRecords } from './support/analytics.ts';
import { putApi } from './support/apis.ts';
import { as } from './support/http.ts';
import { fireSchedule, scheduleId } from './support/local-plan.ts';
import { adminToken, demoToken } from './support/oauth.ts';
import { portico, uniqueName } from './support/platform.ts';
import { useUpstreams } from './support/upstream.ts';
import { eventually, sleep, untilStatus } from './support/wait.ts';

/**
 * What spans more than one request: an ejected server coming back through the scheduled health check,
 * a registry change reaching the gateway, and the analytics record of each call.
 */
let admin: string;
let token: string;
const upstream = useUpstreams();

const put = (name: string, definition: Record<string, unknown>) =>
  putApi(admin, name, { timeoutMs: 3000, ...definition });

const get = (path: string, headers: Record<string, string> = {}) => as(token).get(path, headers);

let healthCheckSchedule: string;

beforeAll(async () => {
  // Synthesizing takes seconds: done before any call, so no kept-alive connection idles meanwhile.
  healthCheckSchedule = scheduleId('GatewayHealthCheckSchedule');
  admin = await adminToken();
  token = await demoToken();
});

describe('upstream health', () => {
  it('ejects a server that refuses connections and takes it back once the health check passes', async () => {
    const a = await upstream();
    const b = await upstream();
    const name = uniqueName('health');
    expect((await put(name, { upstreams: [{ url: a.url }, { url: b.url }] })).status).toBe(201);
    await untilStatus(() => get(`/apis/${name}/x`), 200, 10_000);

    await a.stop();
    const servedByA = a.hits();
    for (let i = 0; i < 6; i++) expect((await get(`/apis/${name}/x`)).status).toBe(200);
    await a.start(); // same port, healthy again — but ejected for 30 s by the passive check
    const servedByB = b.hits();
    for (let i = 0; i < 6; i++) expect((await get(`/apis/${name}/x`)).status).toBe(200);
    expect(b.hits() - servedByB).toBe(6);
    expect(a.hits()).toBe(servedByA);

    const fired = await fireSchedule(healthCheckSchedule);
    expect(fired.status).toBe(200);

    // Gateway instances apply stored verdicts at their next state sync (every 3 s, started by requests).
    const started = Date.now();
    await eventually(async () => {
      await get(`/apis/${name}/x`);
      return a.hits() > servedByA ? true : undefined;
    }, 10_000);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('registry changes', () => {
  it('reach the gateway within 10 seconds', async () => {
    const up = await upstream();
    const name = uniqueName('revised');
    expect((await put(name, { upstreams: [{ url: up.url }] })).status).toBe(201);
    await untilStatus(() => get(`/apis/${name}/x`), 200, 10_000);
    await sleep(500);
    const changed = Date.now();
    expect(
      (
        await put(name, {
          upstreams: [{ url: up.url }],
          mock: { enabled: true, rules: [{ method: 'ANY', path: '/x', status: 299 }] },
        })
      ).status,
    ).toBe(200);
    await untilStatus(() => get(`/apis/${name}/x`), 299, 12_000);
    const tookMs = Date.now() - changed;
    console.log(`[registry] a definition change reached the gateway after ${tookMs} ms`);
    expect(tookMs).toBeLessThan(10_000);
  });
});

describe('analytics', () => {
  it('records one call record per call with route, upstream, status, latencies and trace id', async () => {
    const up = await upstream();
    const name = uniqueName('recorded');
    expect(
      (
        await put(name, {
          upstreams: [{ url: up.url }],
          partnerId: 'acme',
          routes: [{ method: 'GET', path: '/orders/{id}' }],
        })
      ).status,
    ).toBe(201);
    await untilStatus(() => get(`/apis/${name}/orders/1`), 200, 10_000);
    const traceId = '5bf92f3577b34da6a3ce929d0e0e4736';
    const answer = await get(`/apis/${name}/orders/77`, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    expect(answer.status).toBe(200);
    const record = await eventually(
      async () => (await analyticsRecords()).find((r) => r.traceId === traceId),
      15_000,
    );
    expect(record).toMatchObject({
      kind: 'call',
      api: name,
      route: 'GET /orders/{id}',
      status: 200,
      upstream: up.url,
      partnerId: 'acme',
      appId: portico().demo.appId ?? expect.any(String),
    });
    expect(record.latencyMs).toBeGreaterThan(0);
    expect(record.upstreamLatencyMs).toBeGreaterThan(0);
    expect(record.bytesOut).toBeGreaterThan(0);
  });
});
