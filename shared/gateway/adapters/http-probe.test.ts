import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EGRESS_DENIED, EgressGuard } from '../../egress/guard.ts';
import { DEFAULT_EGRESS_POLICY, parseEgressAllowList } from '../../egress/policy.ts';
import { FakeResolver } from '../../egress/testing/fake-resolver.ts';
import { UpstreamPool } from '../upstreams/balancer.ts';
import { runHealthChecks } from '../upstreams/health-check.ts';
import { HEALTH_PROBE_USER_AGENT, httpProbe } from './http-probe.ts';

const seen: { method?: string; url?: string; agent?: string }[] = [];
let connections = 0;
const server = http.createServer((request, response) => {
  seen.push({ method: request.method, url: request.url, agent: request.headers['user-agent'] });
  const path = request.url ?? '/';
  if (path.startsWith('/hang')) return; // never answers
  if (path.startsWith('/redirect')) {
    response.writeHead(302, { location: '/down' }).end();
    return;
  }
  const status = path.startsWith('/down')
    ? 503
    : path.startsWith('/bug')
      ? 500
      : path.startsWith('/missing')
        ? 404
        : 200;
  response.writeHead(status, { 'content-type': 'text/plain' }).end('x'.repeat(100_000));
});
server.on('connection', () => connections++);
let base = '';
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const names = new FakeResolver({ 'up.test': ['127.0.0.1'], 'metadata.test': ['169.254.169.254'] });
const probe = httpProbe({ egress: new EgressGuard(parseEgressAllowList('loopback'), names) });
const signal = () => AbortSignal.timeout(5_000);

describe('httpProbe', () => {
  it('GETs the base URL as registered, naming itself, and is ok below 500', async () => {
    const outcome = await probe(`${base}/v1/orders?probe=1`, signal());
    expect(outcome.ok).toBe(true);
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(0);
    expect(seen.at(-1)).toEqual({ method: 'GET', url: '/v1/orders?probe=1', agent: HEALTH_PROBE_USER_AGENT });
    expect((await probe(`${base}/missing`, signal())).ok).toBe(true);
  });

  it('is not ok on a 5xx', async () => {
    expect((await probe(`${base}/down`, signal())).ok).toBe(false);
    expect((await probe(`${base}/bug`, signal())).ok).toBe(false);
  });

  it('does not follow redirects: a 3xx is an answer', async () => {
    const before = seen.length;
    expect((await probe(`${base}/redirect`, signal())).ok).toBe(true);
    expect(seen.slice(before).map((s) => s.url)).toEqual(['/redirect']);
  });

  it('rejects when the connection is refused, and when the signal aborts', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(probe(`http://127.0.0.1:${port}/`, signal())).rejects.toThrow();
    await expect(probe(`${base}/hang`, AbortSignal.timeout(50))).rejects.toThrow();
  });

  it('gives the health check its verdicts, a hanging server counting as a timeout', async () => {
    const urls = [`${base}/ok`, `${base}/down`, `${base}/hang`];
    const pool = new UpstreamPool(
      urls.map((url) => ({ url })),
      { random: () => 0 },
    );
    const run = await runHealthChecks([pool], probe, Date.now(), { timeoutMs: 300 });
    const byUrl = Object.fromEntries(run.results.map((r) => [r.url, r]));
    expect(byUrl[`${base}/ok`]).toMatchObject({ ok: true });
    expect(byUrl[`${base}/down`]).toMatchObject({ ok: false });
    expect(byUrl[`${base}/down`]!.error).toBeUndefined();
    expect(byUrl[`${base}/hang`]).toMatchObject({ ok: false, error: 'timeout', latencyMs: 300 });
  });

  it('refuses what the egress policy refuses without connecting, and tells it once', async () => {
    const denials: { host: string; reason: string }[] = [];
    const strict = httpProbe({
      egress: new EgressGuard(DEFAULT_EGRESS_POLICY, names),
      onEgressDenied: (denial) => denials.push(denial),
    });
    const before = connections;
    await expect(strict(`${base}/ok`, signal())).rejects.toMatchObject({ code: EGRESS_DENIED });
    await expect(strict(`http://up.test:${port}/ok`, signal())).rejects.toMatchObject({
      code: EGRESS_DENIED,
    });
    await expect(probe(`http://metadata.test:${port}/ok`, signal())).rejects.toMatchObject({
      code: EGRESS_DENIED,
    });
    expect(connections).toBe(before);
    expect(denials).toEqual([
      { host: '127.0.0.1', reason: 'is a loopback address' },
      { host: 'up.test', reason: 'resolves to a loopback address (127.0.0.1)' },
    ]);
    expect((await probe(`http://up.test:${port}/ok`, signal())).ok).toBe(true);
  });

  it('counts a refused probe as a failed check, not a crash', async () => {
    const strict = httpProbe({ egress: new EgressGuard(DEFAULT_EGRESS_POLICY, names) });
    const pool = new UpstreamPool([{ url: `${base}/ok` }], { random: () => 0 });
    const run = await runHealthChecks([pool], strict, Date.now(), { timeoutMs: 300 });
    expect(run.results).toEqual([expect.objectContaining({ ok: false, error: 'probe-error' })]);
  });
});
