import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EgressGuard } from '../../egress/guard.ts';
import { DEFAULT_EGRESS_POLICY, parseEgressAllowList } from '../../egress/policy.ts';
import { FakeResolver } from '../../egress/testing/fake-resolver.ts';
import { WebhookSendError } from '../ports.ts';
import { webhookSender } from './webhook-sender.ts';

/** A receiver on loopback whose answer each test chooses by path. */
let server: http.Server;
let base: string;
const received: { path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() });
      if (req.url === '/hang') return;
      if (req.url === '/redirect') res.writeHead(307, { location: '/ok' }).end();
      else if (req.url === '/busy') res.writeHead(429, { 'retry-after': '30' }).end('slow down');
      else if (req.url === '/big') res.writeHead(500).end('x'.repeat(100_000));
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const loopback = new EgressGuard(parseEgressAllowList('loopback'), new FakeResolver({}));
const send = webhookSender({ egress: loopback });
const body = Buffer.from('{"type":"orders.created"}');
const post = (path: string, timeoutMs = 2_000) =>
  send({
    url: `${base}${path}`,
    headers: { 'webhook-id': 'msg_1', 'content-type': 'application/json' },
    body,
    timeoutMs,
  });

describe('webhookSender', () => {
  it('POSTs the exact body with the given headers and reports the answer', async () => {
    const answer = await post('/ok');
    expect(answer).toMatchObject({ status: 204, excerpt: '' });
    const last = received.at(-1)!;
    expect(last).toMatchObject({ path: '/ok', body: '{"type":"orders.created"}' });
    expect(last.headers['webhook-id']).toBe('msg_1');
    expect(last.headers['user-agent']).toBe('portico-webhooks');
  });

  it('does not follow redirects, passes Retry-After on, and keeps 1 KiB of an answer', async () => {
    expect((await post('/redirect')).status).toBe(307);
    expect(received.at(-1)!.path).toBe('/redirect');
    expect(await post('/busy')).toMatchObject({ status: 429, retryAfter: '30', excerpt: 'slow down' });
    expect((await post('/big')).excerpt).toHaveLength(1024);
  });

  it('times out a receiver that never answers', async () => {
    const failure = await post('/hang', 200).catch((e) => e);
    expect(failure).toBeInstanceOf(WebhookSendError);
    expect(failure).toMatchObject({ errorClass: 'timeout' });
    expect(failure.latencyMs).toBeGreaterThanOrEqual(190);
  });

  it('refuses private and metadata addresses without connecting, and names a dead port a connection failure', async () => {
    const strict = webhookSender({
      egress: new EgressGuard(
        DEFAULT_EGRESS_POLICY,
        new FakeResolver({ 'rebind.example': ['169.254.169.254'] }),
      ),
    });
    for (const url of [
      `${base}/ok`,
      'http://169.254.169.254/latest',
      'http://10.0.0.1/',
      'http://rebind.example/',
    ]) {
      const before = received.length;
      const failure = await strict({ url, headers: {}, body, timeoutMs: 1_000 }).catch((e) => e);
      expect(failure, url).toMatchObject({ errorClass: 'egress-refused' });
      expect(received.length).toBe(before);
    }
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const failure = await send({
      url: `http://127.0.0.1:${port}/`,
      headers: {},
      body,
      timeoutMs: 1_000,
    }).catch((e) => e);
    expect(failure).toMatchObject({ errorClass: 'connection' });
  });
});
