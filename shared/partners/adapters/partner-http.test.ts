import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EgressGuard } from '../../egress/guard.ts';
import { parseEgressAllowList } from '../../egress/policy.ts';
import { FakeResolver } from '../../egress/testing/fake-resolver.ts';
import { noticeFetcher, prober } from './partner-http.ts';

describe('talking to a partner over HTTP', () => {
  let server: http.Server;
  let base: string;
  const received: unknown[] = [];
  const local = new EgressGuard(parseEgressAllowList('loopback'), new FakeResolver({}));
  const strict = new EgressGuard(parseEgressAllowList(''), new FakeResolver({}));

  beforeAll(async () => {
    server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (chunks.length > 0) received.push(JSON.parse(Buffer.concat(chunks).toString()));
      if (req.url === '/ok') res.end(JSON.stringify({ code: 0, upgradeInfo: [] }));
      else if (req.url === '/text') res.end('<html>maintenance</html>');
      else if (req.url === '/busy') res.writeHead(503).end('{}');
      else if (req.url === '/huge') res.end(Buffer.alloc(2 * 1024 * 1024, 32));
      else if (req.url === '/hang') setTimeout(() => res.end('{}'), 2_000);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('posts the signed parameters as JSON and reads a JSON answer', async () => {
    const answer = await noticeFetcher(local)({
      url: `${base}/ok`,
      body: { appId: 'portico', sign: 'x' },
      timeoutMs: 1_000,
    });
    expect(answer).toEqual({ ok: true, status: 200, body: { code: 0, upgradeInfo: [] } });
    expect(received.at(-1)).toEqual({ appId: 'portico', sign: 'x' });
  });

  it.each([
    ['/text', { ok: false, reason: 'not-json' }],
    ['/busy', { ok: false, reason: 'http-status', detail: 'HTTP 503' }],
    ['/huge', { ok: false, reason: 'not-json' }],
    ['/hang', { ok: false, reason: 'timeout' }],
  ])('fails a poll answered by %s', async (path, outcome) => {
    expect(await noticeFetcher(local)({ url: `${base}${path}`, body: {}, timeoutMs: 300 })).toMatchObject(
      outcome,
    );
  });

  it('never reaches an address the egress policy refuses', async () => {
    const before = received.length;
    expect(await noticeFetcher(strict)({ url: `${base}/ok`, body: { a: 1 }, timeoutMs: 300 })).toMatchObject({
      ok: false,
      reason: 'egress-refused',
    });
    expect(received.length).toBe(before);
  });

  it('probes: a status in the passing range passes, anything else fails', async () => {
    const target = { method: 'GET' as const, passStatus: { min: 200, max: 399 }, timeoutMs: 300 };
    expect(await prober(local)({ ...target, url: `${base}/ok` })).toEqual({
      passed: true,
      detail: 'HTTP 200',
    });
    expect(await prober(local)({ ...target, url: `${base}/busy` })).toEqual({
      passed: false,
      detail: 'HTTP 503',
    });
    expect((await prober(local)({ ...target, url: `${base}/hang` })).passed).toBe(false);
    expect((await prober(strict)({ ...target, url: `${base}/ok` })).detail).toMatch(/^egress-refused/);
  });
});
