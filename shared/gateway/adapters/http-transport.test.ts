import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EgressGuard } from '../../egress/guard.ts';
import { DEFAULT_EGRESS_POLICY, parseEgressAllowList } from '../../egress/policy.ts';
import { FakeResolver } from '../../egress/testing/fake-resolver.ts';
import { toProblem } from '../../http/problem.ts';
import { UpstreamFailure } from '../forward.ts';
import { httpTransport } from './http-transport.ts';

/** A failure as the edge answers it, with the kind the gateway acts on. */
const answered = (failure: UpstreamFailure) => Object.assign(toProblem(failure), { kind: failure.kind });

let server: http.Server;
let base: string;
let port = 0;
let connections = 0;
const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    seen.push({
      method: req.method!,
      url: req.url!,
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    });
    if (req.url === '/hang') return; // never answers
    if (req.url === '/half') {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setTimeout(() => res.destroy(), 20);
      return;
    }
    if (req.url === '/gzip') {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/plain' });
      res.end(gzipSync('hello'));
      return;
    }
    res.writeHead(201, {
      'content-type': 'application/json',
      server: 'secret',
      'set-cookie': ['a=1', 'b=2'],
      'x-kept': 'yes',
    });
    res.end(JSON.stringify({ ok: true }));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const names = new FakeResolver({
  'up.test': ['127.0.0.1'],
  'metadata.test': ['169.254.169.254'],
  'rebind.test': [['127.0.0.1'], ['169.254.169.254']],
});
const transport = httpTransport({ egress: new EgressGuard(parseEgressAllowList('loopback'), names) });
const call = (path: string, init: { method?: string; body?: string; timeoutMs?: number } = {}) =>
  transport({
    url: new URL(`${base}${path}`),
    method: init.method ?? 'GET',
    headers: { 'x-portico-app-id': 'app_1' },
    body: Buffer.from(init.body ?? ''),
    timeoutMs: init.timeoutMs ?? 1000,
  });

describe('httpTransport', () => {
  it('relays status, cleaned headers and body, and sends the body with its length', async () => {
    const answer = await call('/orders?x=1', { method: 'POST', body: '{"n":1}' });
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body.toString())).toEqual({ ok: true });
    expect(answer.headers['x-kept']).toBe('yes');
    expect(answer.headers.server).toBeUndefined();
    expect(answer.headers['set-cookie']).toBeUndefined();
    const request = seen.at(-1)!;
    expect(request).toMatchObject({ method: 'POST', url: '/orders?x=1', body: '{"n":1}' });
    expect(request.headers['content-length']).toBe('7');
    expect(request.headers['x-portico-app-id']).toBe('app_1');
  });

  it('relays a compressed body as it came', async () => {
    const answer = await call('/gzip');
    expect(answer.headers['content-encoding']).toBe('gzip');
    expect(answer.body).toEqual(gzipSync('hello'));
  });

  it('times out a hanging upstream and frees the socket', async () => {
    const started = Date.now();
    const failure = await call('/hang', { timeoutMs: 150 }).catch((e) => e);
    expect(failure).toBeInstanceOf(UpstreamFailure);
    expect(answered(failure)).toMatchObject({ kind: 'timeout', status: 504 });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('tells a refused connection from a broken one', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const refused = await transport({
      url: new URL(`http://127.0.0.1:${port}/`),
      method: 'GET',
      headers: {},
      body: Buffer.alloc(0),
      timeoutMs: 1000,
    }).catch((e) => e);
    expect(answered(refused)).toMatchObject({ kind: 'refused', status: 502 });
    const broken = await call('/half').catch((e) => e);
    expect(answered(broken)).toMatchObject({ kind: 'broken', status: 502 });
  });

  it('reuses connections across calls', async () => {
    const sockets = new Set<string>();
    for (let i = 0; i < 5; i++) {
      await call('/orders');
      sockets.add(`${seen.at(-1)!.headers.connection}`);
    }
    expect([...sockets]).toEqual(['keep-alive']);
  });

  describe('under the egress policy', () => {
    const denials: { host: string; reason: string }[] = [];
    const strict = httpTransport({
      egress: new EgressGuard(DEFAULT_EGRESS_POLICY, names),
      onEgressDenied: (denial) => denials.push(denial),
    });
    const send = (t: typeof strict, url: string) =>
      t({ url: new URL(url), method: 'GET', headers: {}, body: Buffer.alloc(0), timeoutMs: 1000 });

    it('refuses a literal address before connecting, as a refused connection (502), told once', async () => {
      const before = connections;
      const failure = await send(strict, `${base}/orders`).catch((e) => e);
      expect(failure).toBeInstanceOf(UpstreamFailure);
      expect(answered(failure)).toMatchObject({ kind: 'refused', status: 502, code: 'bad-gateway' });
      expect(failure.detail).not.toMatch(/127|loopback/);
      expect(connections).toBe(before);
      expect(denials).toEqual([{ host: '127.0.0.1', reason: 'is a loopback address' }]);
    });

    it('refuses a name whose address is refused at connect time, without connecting', async () => {
      denials.length = 0;
      const before = connections;
      const failure = await send(strict, `http://up.test:${port}/orders`).catch((e) => e);
      expect(answered(failure)).toMatchObject({ kind: 'refused', status: 502 });
      expect(connections).toBe(before);
      expect(denials).toEqual([{ host: 'up.test', reason: 'resolves to a loopback address (127.0.0.1)' }]);
    });

    it('catches a name that rebinds to the metadata service between the write and the call', async () => {
      denials.length = 0;
      const egress = new EgressGuard(
        parseEgressAllowList('loopback'),
        new FakeResolver({ 'rebind.test': [['127.0.0.1'], ['169.254.169.254']] }),
      );
      const url = `http://rebind.test:${port}/orders`;
      expect(await egress.check(url)).toMatchObject({ allowed: true });
      const before = connections;
      const guarded = httpTransport({ egress, onEgressDenied: (denial) => denials.push(denial) });
      expect(answered(await send(guarded, url).catch((e) => e))).toMatchObject({
        kind: 'refused',
        status: 502,
      });
      expect(connections).toBe(before);
      expect(denials).toEqual([
        { host: 'rebind.test', reason: 'resolves to a cloud metadata address (169.254.169.254)' },
      ]);
    });

    it('lets an allowed name through to the upstream', async () => {
      expect((await send(transport, `http://up.test:${port}/orders`)).status).toBe(201);
    });
  });
});
