import http from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RouteTable } from './http-routes.ts';
import { createApiServer } from './http-server.ts';
import { type LambdaHost, LambdaThrottledError } from './lambda-host.ts';
import {
  abortMidBody,
  close,
  listen,
  parseResponse,
  rawExchange,
  request,
  watchEscapedErrors,
} from './test-support.ts';

watchEscapedErrors();

/** Stands in for the functions: each route id names a behaviour. */
const host = {
  invoke(functionId: string, event: APIGatewayProxyEventV2): Promise<unknown> {
    switch (functionId) {
      case 'echo':
        return Promise.resolve({ statusCode: 200, body: JSON.stringify(event) });
      case 'throw':
        throw new Error('the handler threw synchronously');
      case 'reject':
        return Promise.reject(new Error('the handler rejected'));
      case 'throttled':
        return Promise.reject(new LambdaThrottledError('gw is at its reserved concurrency (3)'));
      case 'bad-header':
        return Promise.resolve({ statusCode: 200, headers: { 'x-split': 'a\r\nb' }, body: '' });
      case 'bad-body':
        return Promise.resolve({ statusCode: 200, body: 42 });
      default:
        return Promise.reject(new Error(`no ${functionId}`));
    }
  },
} as unknown as LambdaHost;

function apiServer(log: (line: string) => void) {
  const routes = new RouteTable<string>();
  for (const id of ['throw', 'reject', 'throttled', 'bad-header', 'bad-body']) routes.add(`GET /${id}`, id);
  routes.add('$default', 'echo');
  return createApiServer({ routes, host, log });
}

let server: http.Server;
let port: number;
const logged: string[] = [];

beforeAll(async () => {
  server = apiServer((line) => void logged.push(line));
  port = await listen(server);
});
afterAll(() => close(server));

const event = async (path: string, init: Parameters<typeof request>[2] = {}) => {
  const answer = await request(port, path, init);
  expect(answer.status).toBe(200);
  return JSON.parse(answer.body) as APIGatewayProxyEventV2;
};

describe('a failing function costs its request a 500, and the server goes on serving', () => {
  it.each(['/throw', '/reject', '/throttled', '/bad-header'])('%s', async (path) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const failed = await request(port, path, { agent });
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toEqual({ message: 'Internal Server Error' });
    expect(failed.headers['apigw-requestid']).toBeTruthy();
    expect((await request(port, '/after', { agent })).status).toBe(200);
    agent.destroy();
  });

  it('a result that fails after the status line ends that connection only', async () => {
    await expect(request(port, '/bad-body')).rejects.toThrow();
    expect((await request(port, '/after')).status).toBe(200);
  });

  it('an error in the server itself is caught by the guard: 500 problem+json', async () => {
    const guarded = apiServer((line) => {
      if (line.includes('failed')) throw new Error('the log itself failed');
    });
    const guardedPort = await listen(guarded);
    const failed = await request(guardedPort, '/throw');
    expect(failed.status).toBe(500);
    expect(failed.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(failed.body).type).toBe('urn:portico:problem:internal');
    expect((await request(guardedPort, '/after')).status).toBe(200);
    await close(guarded);
  });

  it('a client that goes away mid-body costs nothing else', async () => {
    await abortMidBody(port);
    expect((await request(port, '/after')).status).toBe(200);
  });
});

describe('odd request targets', () => {
  it.each([
    ['//', '//', ''],
    ['///', '///', ''],
    ['//x//y', '//x//y', ''],
    ['///x?a=1&a=2', '///x', 'a=1&a=2'],
    ['//evil.example/x?y', '//evil.example/x', 'y'],
    ['/%2F%2Fx', '/%2F%2Fx', ''],
  ])('%s reaches the function with the path as sent', async (target, rawPath, rawQueryString) => {
    const received = await event(target);
    expect(received.rawPath).toBe(rawPath);
    expect(received.requestContext.http.path).toBe(rawPath);
    expect(received.rawQueryString).toBe(rawQueryString);
  });

  it('folds repeated query parameters as API Gateway does', async () => {
    expect((await event('///x?a=1&a=2&b')).queryStringParameters).toEqual({ a: '1,2', b: '' });
  });

  it('refuses a target that is not a path (absolute form, asterisk) with 400', async () => {
    for (const target of ['http://evil.example/x', '*']) {
      const answer = parseResponse(
        await rawExchange(port, `OPTIONS ${target} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`),
      );
      expect(answer.status, target).toBe(400);
    }
  });
});

describe('request bodies, as API Gateway passes them', () => {
  const post = (contentType: string, body: Buffer | string) =>
    event('/body', { method: 'POST', headers: { 'content-type': contentType }, body });

  it.each([
    ['application/json', '{"name":"Zoë"}'],
    ['application/json; charset=utf-8', '{"a":1}'],
    ['application/problem+json', '{"a":1}'],
    ['text/plain', 'héllo'],
    ['application/xml', '<a/>'],
  ])('%s as UTF-8 text', async (contentType, body) => {
    const received = await post(contentType, body);
    expect(received.isBase64Encoded).toBe(false);
    expect(received.body).toBe(body);
  });

  it.each([
    ['application/octet-stream', Buffer.from([0, 1, 2, 0xff])],
    ['application/x-www-form-urlencoded', Buffer.from('grant_type=client_credentials')],
    ['image/png', Buffer.from([0x89, 0x50])],
    ['application/jsonl', Buffer.from('{}')],
    ['application/json', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
    ['text/plain', Buffer.from([0xc3, 0x28])],
  ])('%s base64-encoded when binary or not UTF-8: %#', async (contentType, bytes) => {
    const received = await post(contentType, bytes);
    expect(received.isBase64Encoded).toBe(true);
    expect(Buffer.from(received.body!, 'base64').equals(bytes)).toBe(true);
  });

  it('no body: neither body nor base64 flag set', async () => {
    const received = await event('/x');
    expect(received.body).toBeUndefined();
    expect(received.isBase64Encoded).toBe(false);
  });
});

describe("the HTTP parser's refusals are answered as problem+json", () => {
  it.each([
    [
      'Content-Length with Transfer-Encoding',
      'POST /x HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n',
      400,
    ],
    ['a 20 KB header', `GET /x HTTP/1.1\r\nhost: x\r\nx-big: ${'b'.repeat(20 * 1024)}\r\n\r\n`, 431],
    ['a garbage request line', '\u0000\u0001\u0002 nonsense\r\n\r\n', 400],
    [
      'bad chunked framing',
      'POST /x HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n5\r\nabc\r\nxx\r\n',
      400,
    ],
  ])('%s', async (_name, data, status) => {
    const answer = parseResponse(await rawExchange(port, data));
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body)).toMatchObject({ type: 'urn:portico:problem:bad-request', status });
    expect((await request(port, '/after')).status).toBe(200);
  });
});
