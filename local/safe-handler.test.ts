import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestUpstream } from '../test/support/upstream.ts';
import { answerClientErrors, type RequestHandler, safeHandler } from './safe-handler.ts';
import { close, listen, parseResponse, rawExchange, request, watchEscapedErrors } from './test-support.ts';

watchEscapedErrors();

/** A server whose routes the tests script, guarded as every local server is. */
async function guardedServer(routes: Record<string, RequestHandler>) {
  const logged: string[] = [];
  const server = http.createServer(
    safeHandler(
      (req, res) => {
        const route = routes[req.url ?? ''];
        if (route) return route(req, res);
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      },
      (line) => void logged.push(line),
    ),
  );
  answerClientErrors(server, (line) => void logged.push(line));
  const port = await listen(server);
  return { server, port, logged };
}

describe('safeHandler', () => {
  let port: number;
  let server: http.Server;
  let logged: string[];
  beforeAll(async () => {
    ({ server, port, logged } = await guardedServer({
      '/throw': () => {
        throw new Error('thrown synchronously');
      },
      '/reject': async () => {
        await new Promise((r) => setTimeout(r, 5));
        throw new Error('rejected later');
      },
      '/throw-a-string': () => {
        throw 'not an Error';
      },
      '/half-set': (_req, res) => {
        res.setHeader('content-length', '999');
        res.setHeader('x-secret-internal', 'yes');
        throw new Error('after setting headers');
      },
      '/after-headers': async (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('partial');
        await new Promise((r) => setTimeout(r, 5));
        throw new Error('mid-answer');
      },
    }));
  });
  afterAll(() => close(server));

  it.each(['/throw', '/reject', '/throw-a-string', '/half-set'])(
    '%s answers 500 problem+json, logs, and the next request on the connection is served',
    async (path) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const failed = await request(port, path, { agent });
      expect(failed.status).toBe(500);
      expect(failed.headers['content-type']).toBe('application/problem+json');
      expect(failed.headers['x-secret-internal']).toBeUndefined();
      const problem = JSON.parse(failed.body);
      expect(problem).toEqual({
        type: 'urn:portico:problem:internal',
        title: 'Internal server error',
        status: 500,
        instance: failed.headers['x-request-id'],
      });
      expect(logged.some((line) => line.includes(`GET ${path} failed (${problem.instance})`))).toBe(true);
      const next = await request(port, '/fine', { agent });
      expect(next).toMatchObject({ status: 200, body: 'ok' });
      agent.destroy();
    },
  );

  it('ends only that connection when the answer had started, and keeps serving', async () => {
    await expect(request(port, '/after-headers')).rejects.toThrow(/aborted|socket hang up|ECONNRESET/);
    expect((await request(port, '/fine')).status).toBe(200);
  });

  it('survives a logger that throws', async () => {
    const server = http.createServer(
      safeHandler(
        () => {
          throw new Error('boom');
        },
        () => {
          throw new Error('the logger failed too');
        },
      ),
    );
    const port = await listen(server);
    expect((await request(port, '/')).status).toBe(500);
    expect((await request(port, '/')).status).toBe(500);
    await close(server);
  });
});

describe('answerClientErrors', () => {
  let port: number;
  let server: http.Server;
  let logged: string[];
  beforeAll(async () => {
    ({ server, port, logged } = await guardedServer({
      '/read': async (req, res) => {
        for await (const _ of req);
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('read');
      },
    }));
  });
  afterAll(() => close(server));

  const problemOf = async (data: string) => {
    const answer = parseResponse(await rawExchange(port, data));
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.headers.connection).toBe('close');
    const body = JSON.parse(answer.body);
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
    expect(body.instance).toBe(answer.headers['x-request-id']);
    return { status: answer.status, body };
  };

  it.each([
    [
      'Content-Length with Transfer-Encoding (smuggling)',
      'POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 4\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n',
    ],
    [
      'two different Content-Lengths',
      'POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\nab',
    ],
    [
      'bad chunked framing',
      'POST /read HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n',
    ],
    ['an invalid header character', 'GET / HTTP/1.1\r\nhost: x\r\nx-bad: a\u0001b\r\n\r\n'],
    ['a space before the colon', 'GET / HTTP/1.1\r\nhost : x\r\n\r\n'],
    ['a garbage request line', 'HELLO THERE\r\n\r\n'],
  ])('%s: 400 bad-request', async (_name, data) => {
    const { status, body } = await problemOf(data);
    expect(status).toBe(400);
    expect(body).toMatchObject({
      type: 'urn:portico:problem:bad-request',
      title: 'Bad request',
      status: 400,
      detail: expect.stringMatching(/^The request is not valid HTTP\/1\.1/),
    });
  });

  it('headers over 16 KB: 431', async () => {
    const { status, body } = await problemOf(
      `GET / HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20 * 1024)}\r\n\r\n`,
    );
    expect(status).toBe(431);
    expect(body).toMatchObject({ type: 'urn:portico:problem:bad-request', status: 431 });
    expect(body.detail).toContain(String(http.maxHeaderSize));
  });

  it('a malformed request after a served one on the same connection is answered too', async () => {
    const raw = await rawExchange(port, ['GET / HTTP/1.1\r\nhost: x\r\n\r\n', 'NOT HTTP AT ALL\r\n\r\n']);
    expect(raw.startsWith('HTTP/1.1 200 OK')).toBe(true);
    const second = raw.slice(raw.indexOf('HTTP/1.1 400'));
    expect(parseResponse(second)).toMatchObject({ status: 400 });
    expect(JSON.parse(parseResponse(second).body).type).toBe('urn:portico:problem:bad-request');
  });

  it('logs each refusal and keeps serving', async () => {
    expect(logged.some((line) => line.startsWith('refused a malformed request'))).toBe(true);
    expect((await request(port, '/')).status).toBe(200);
  });
});

describe('the test upstream (test/support/upstream.ts)', () => {
  const upstream = new TestUpstream();
  beforeAll(() => upstream.start());
  afterAll(() => upstream.stop());

  it.each([
    [
      'throws',
      () => {
        throw new Error('scripted failure');
      },
    ],
    [
      'rejects',
      async () => {
        throw new Error('scripted rejection');
      },
    ],
    ['answers an impossible status', () => ({ status: 42 })],
  ])('a behaviour that %s costs that request a 500, and the next is served', async (_name, behaviour) => {
    upstream.behaviour = behaviour;
    const port = Number(new URL(upstream.url).port);
    expect((await request(port, '/x')).status).toBe(500);
    upstream.behaviour = () => ({ status: 200, body: { ok: true } });
    expect((await request(port, '/y')).status).toBe(200);
    expect(upstream.failures.length).toBeGreaterThan(0);
  });

  it('records odd request targets as sent', async () => {
    const port = Number(new URL(upstream.url).port);
    for (const path of ['//', '///x', '//x//y?a=1']) {
      expect((await request(port, path)).status).toBe(200);
      expect(upstream.received.at(-1)?.path).toBe(path);
    }
  });
});
