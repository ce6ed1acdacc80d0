import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LocalWebSocketApi } from './plan.ts';
import { WebSocketApiServer } from './websocket-server.ts';

type Event = {
  requestContext: Record<string, unknown>;
  body?: string;
  headers?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
};

const api: LocalWebSocketApi = {
  id: { stackName: 'S', logicalId: 'SocketApi', resource: { Type: 'AWS::ApiGatewayV2::Api' } },
  selectionField: 'action',
  stageNames: ['v1'],
  routes: [
    { routeKey: '$connect', functionId: 'fn', answers: false },
    { routeKey: '$disconnect', functionId: 'fn', answers: false },
    { routeKey: 'echo', functionId: 'fn', answers: true },
    { routeKey: 'silent', functionId: 'fn', answers: false },
    { routeKey: '$default', functionId: 'fn', answers: true },
  ],
};

const servers: WebSocketApiServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** A server whose one function records every event and answers as `answer` says. */
async function serve(answer: (event: Event) => unknown = () => ({ statusCode: 200 }), limits = {}) {
  const events: Event[] = [];
  const server = new WebSocketApiServer({
    api,
    host: {
      invoke: async (_fn: string, event: unknown) => {
        events.push(event as Event);
        return answer(event as Event);
      },
    },
    log: () => undefined,
    ...limits,
  });
  servers.push(server);
  const endpoint = await server.listen(0);
  server.open();
  return { endpoint, events, http: endpoint.replace(/^ws:/, 'http:') };
}

const opened = (ws: WebSocket) =>
  new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
const nextFrame = (ws: WebSocket) =>
  new Promise<string>((resolve) => ws.once('message', (d) => resolve(d.toString())));
const refusalOf = (ws: WebSocket) =>
  new Promise<number>((resolve) => {
    ws.on('error', () => undefined);
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
  });
const until = async (check: () => boolean) => {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

describe('the local WebSocket API', () => {
  it('invokes $connect with the headers and query, and refuses the upgrade with its status', async () => {
    const { endpoint, events } = await serve((e) => ({
      statusCode: e.queryStringParameters?.who === 'me' ? 200 : 403,
    }));
    const refused = new WebSocket(`${endpoint}/v1?who=you`);
    expect(await refusalOf(refused)).toBe(403);
    const ws = new WebSocket(`${endpoint}/v1?who=me`, { headers: { authorization: 'Bearer t' } });
    await opened(ws);
    const connect = events.at(-1)!;
    expect(connect.requestContext).toMatchObject({
      routeKey: '$connect',
      eventType: 'CONNECT',
      stage: 'v1',
      apiId: 'SocketApi',
    });
    expect(connect.headers).toMatchObject({ authorization: 'Bearer t' });
    expect(connect.requestContext.connectionId).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    ws.close();
    expect(await refusalOf(new WebSocket(`${endpoint}/v2`))).toBe(404);
  });

  it('routes frames by their action, answers on routes with a route response, and tells $disconnect', async () => {
    const { endpoint, events } = await serve((e) => ({
      statusCode: 200,
      body: JSON.stringify({ got: e.body }),
    }));
    const ws = new WebSocket(`${endpoint}/v1`);
    await opened(ws);
    const id = events[0]!.requestContext.connectionId;
    ws.send(JSON.stringify({ action: 'silent' }));
    ws.send(JSON.stringify({ action: 'echo', n: 1 }));
    expect(JSON.parse(await nextFrame(ws))).toEqual({ got: '{"action":"echo","n":1}' });
    ws.send('not json');
    expect(JSON.parse(await nextFrame(ws))).toEqual({ got: 'not json' });
    expect(events.slice(1).map((e) => [e.requestContext.routeKey, e.requestContext.eventType])).toEqual([
      ['silent', 'MESSAGE'],
      ['echo', 'MESSAGE'],
      ['$default', 'MESSAGE'],
    ]);
    ws.close(1000);
    await until(() => events.at(-1)?.requestContext.eventType === 'DISCONNECT');
    expect(events.at(-1)!.requestContext).toMatchObject({
      routeKey: '$disconnect',
      connectionId: id,
      disconnectStatusCode: 1000,
    });
  });

  it('serves the management API, and 410 GoneException for a connection that is not open', async () => {
    const { endpoint, events, http } = await serve();
    const ws = new WebSocket(`${endpoint}/v1`);
    await opened(ws);
    const id = String(events[0]!.requestContext.connectionId);
    const url = `${http}/v1/@connections/${encodeURIComponent(id)}`;
    const frame = nextFrame(ws);
    expect((await fetch(url, { method: 'POST', body: '{"hello":1}' })).status).toBe(200);
    expect(await frame).toBe('{"hello":1}');
    const info = await fetch(url);
    expect(await info.json()).toMatchObject({ identity: { sourceIp: '127.0.0.1' } });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    expect((await fetch(url, { method: 'DELETE' })).status).toBe(204);
    expect(await closed).toBe(1001);
    const gone = await fetch(url, { method: 'POST', body: 'x' });
    expect(gone.status).toBe(410);
    expect(gone.headers.get('x-amzn-errortype')).toBe('GoneException');
    expect((await fetch(`${http}/v1/@connections/unknown%3D`, { method: 'POST', body: 'x' })).status).toBe(
      410,
    );
  });

  it('closes a connection idle for too long, and any connection at its maximum duration', async () => {
    const { endpoint, events } = await serve(undefined, { idleTimeoutMs: 80, maxConnectionMs: 400 });
    const idle = new WebSocket(`${endpoint}/v1`);
    await opened(idle);
    const idleClosed = new Promise<number>((resolve) => idle.once('close', (code) => resolve(code)));
    expect(await idleClosed).toBe(1001);
    await until(() => events.some((e) => e.requestContext.disconnectReason === 'idle'));

    const busy = new WebSocket(`${endpoint}/v1`);
    await opened(busy);
    const ping = setInterval(() => busy.send('{"action":"ping"}'), 30);
    const started = Date.now();
    await new Promise((resolve) => busy.once('close', resolve));
    clearInterval(ping);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    await until(() => events.some((e) => e.requestContext.disconnectReason === 'max duration'));
  });
});
