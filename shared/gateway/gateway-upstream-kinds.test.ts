import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { httpHandler } from '../http/middleware.ts';
import type { HttpResult } from '../http/types.ts';
import { createLogger } from '../observability.ts';
import type { AsyncRequestMessage } from './async-message.ts';
import { UpstreamFailure } from './forward.ts';
import type { FunctionEvent } from './function-payload.ts';
import { invokeGateway } from './http/api-gateway.ts';
import type { AsyncHandOff, FunctionInvocation } from './ports.ts';
import { gatewayEvent, inMemoryGateway } from './testing/in-memory-gateway.ts';
import { TargetAllowList } from './upstream-targets.ts';

const context = { awsRequestId: 'ctx', functionName: 'gateway' } as Context;
const logger = createLogger('gateway-upstream-kinds-test');
logger.setLogLevel('SILENT');

type FunctionBehaviour = (event: FunctionEvent) => Promise<{ payload: Uint8Array; functionError?: string }>;

async function setup() {
  const invocations: FunctionInvocation[] = [];
  const handOffs: AsyncHandOff[] = [];
  const behaviour: { fn: FunctionBehaviour; send: () => Promise<void> } = {
    fn: async (event) => ({
      payload: Buffer.from(
        JSON.stringify({
          statusCode: 200,
          headers: { 'content-type': 'application/json', server: 'lambda' },
          body: JSON.stringify({ path: event.rawPath }),
        }),
      ),
    }),
    send: async () => undefined,
  };
  const platform = await inMemoryGateway({
    transport: async () => {
      throw new Error('no HTTP upstream in these tests');
    },
    functions: async (invocation) => {
      invocations.push(invocation);
      return behaviour.fn(JSON.parse(invocation.payload) as FunctionEvent);
    },
    asyncSender: async (handOff) => {
      handOffs.push(handOff);
      return behaviour.send();
    },
    targets: new TargetAllowList('internal-'),
  });
  const handler = httpHandler(logger, invokeGateway(platform.gateway));
  const invoke = (event: Parameters<typeof handler>[0]) => handler(event, context) as Promise<HttpResult>;
  const app = await platform.newApp(['orders:read']);
  const token = await platform.tokenFor(app);
  return {
    ...platform,
    invoke,
    app,
    behaviour,
    invocations,
    handOffs,
    bearer: { authorization: `Bearer ${token}` },
  };
}

const problem = (result: HttpResult) => String(bodyOf(result).type).replace('urn:portico:problem:', '');
const bodyOf = (result: HttpResult) =>
  JSON.parse(result.isBase64Encoded ? Buffer.from(result.body!, 'base64').toString() : result.body!);

describe('Lambda upstreams', () => {
  let t: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    t = await setup();
    await t.put({
      name: 'orders',
      upstreams: [{ lambda: 'internal-orders', qualifier: 'live' }],
      timeoutMs: 700,
    });
  });

  it('invoke the function with a payload 2.0 event of the call and relay its answer', async () => {
    const result = await t.invoke(
      gatewayEvent('POST', 'orders', '/orders/7', {
        headers: { ...t.bearer, 'content-type': 'application/json', 'x-portico-app-id': 'spoof' },
        query: 'a=1&a=2&b=x',
        body: '{"n":1}',
      }),
    );
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({ path: '/orders/7' });
    expect(result.headers.server).toBeUndefined();
    const [invocation] = t.invocations;
    expect(invocation).toMatchObject({ functionName: 'internal-orders', qualifier: 'live', timeoutMs: 700 });
    const event = JSON.parse(invocation!.payload) as FunctionEvent;
    expect(event).toMatchObject({
      version: '2.0',
      rawPath: '/orders/7',
      rawQueryString: 'a=1&a=2&b=x',
      queryStringParameters: { a: '1,2', b: 'x' },
      body: '{"n":1}',
      isBase64Encoded: false,
      requestContext: {
        apiId: 'orders',
        http: { method: 'POST', path: '/orders/7', sourceIp: '203.0.113.7' },
      },
    });
    expect(event.headers['x-portico-app-id']).toBe(t.app.app.appId);
    expect(event.headers.traceparent).toMatch(/^00-/);
    expect(event.headers.authorization).toBeUndefined();
    expect(t.records.at(-1)).toMatchObject({ status: 200, upstream: 'lambda:internal-orders:live' });
  });

  it('answer a plain result as API Gateway does: 200 with it as JSON', async () => {
    t.behaviour.fn = async () => ({ payload: Buffer.from('{"hello":"world"}') });
    const result = await t.invoke(gatewayEvent('GET', 'orders', '/', { headers: t.bearer }));
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({ hello: 'world' });
  });

  it('answer a function error 502, a timeout 504 and throttling 503', async () => {
    t.behaviour.fn = async () => ({
      payload: Buffer.from('{"errorMessage":"boom"}'),
      functionError: 'Unhandled',
    });
    const failed = await t.invoke(gatewayEvent('GET', 'orders', '/', { headers: t.bearer }));
    expect([failed.statusCode, problem(failed)]).toEqual([502, 'bad-gateway']);
    expect(failed.body).not.toContain('boom');

    t.behaviour.fn = async () => {
      throw new UpstreamFailure('timeout', 'The upstream function did not answer within 700 ms.');
    };
    const late = await t.invoke(gatewayEvent('GET', 'orders', '/', { headers: t.bearer }));
    expect([late.statusCode, problem(late)]).toEqual([504, 'upstream-timeout']);

    t.behaviour.fn = async () => {
      throw new UpstreamFailure('unavailable', 'The upstream function cannot take calls right now.');
    };
    const throttled = await t.invoke(gatewayEvent('GET', 'orders', '/', { headers: t.bearer }));
    expect([throttled.statusCode, problem(throttled)]).toEqual([503, 'service-unavailable']);
  });

  it('open the breaker after repeated function errors', async () => {
    await t.put({
      name: 'orders',
      upstreams: [{ lambda: 'internal-orders' }],
      timeoutMs: 700,
      circuitBreaker: { consecutiveFailures: 3, openBaseMs: 60_000 },
    });
    t.behaviour.fn = async () => ({ payload: Buffer.from('{}'), functionError: 'Unhandled' });
    for (let i = 0; i < 3; i++)
      expect((await t.invoke(gatewayEvent('GET', 'orders', '/', { headers: t.bearer }))).statusCode).toBe(
        502,
      );
    const refused = await t.invoke(gatewayEvent('GET', 'orders', '/', { headers: t.bearer }));
    expect([refused.statusCode, problem(refused)]).toEqual([503, 'circuit-open']);
    expect(t.invocations).toHaveLength(3);
  });

  it('never invoke a function outside the allow-list, whatever the stored definition says', async () => {
    await t.put({ name: 'orders', upstreams: [{ lambda: 'billing' }], timeoutMs: 700 });
    const result = await t.invoke(gatewayEvent('GET', 'orders', '/', { headers: t.bearer }));
    expect(result.statusCode).toBe(502);
    expect(t.invocations).toHaveLength(0);
  });
});

describe('asynchronous upstreams', () => {
  let t: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    t = await setup();
    await t.put({
      name: 'intake',
      upstreams: [{ queue: 'internal-intake' }],
      responseTransform: { envelope: true },
    });
  });

  it('hand the request to the queue and answer 202 with its tracking id', async () => {
    const result = await t.invoke(
      gatewayEvent('POST', 'intake', '/orders', {
        headers: { ...t.bearer, 'content-type': 'application/json' },
        query: 'x=1',
        body: '{"item":"tea"}',
      }),
    );
    expect(result.statusCode).toBe(202);
    const { trackingId } = bodyOf(result);
    expect(trackingId).toMatch(/^req-/);
    expect(result.headers['x-portico-tracking-id']).toBe(trackingId);
    const [handOff] = t.handOffs;
    expect(handOff).toMatchObject({
      target: { kind: 'queue', queue: 'internal-intake' },
      trackingId,
      api: 'intake',
    });
    const message = JSON.parse(handOff!.message) as AsyncRequestMessage;
    expect(message).toMatchObject({
      version: '1',
      trackingId,
      api: 'intake',
      caller: { appId: t.app.app.appId, sandbox: false },
      request: {
        method: 'POST',
        path: '/orders',
        rawQueryString: 'x=1',
        body: '{"item":"tea"}',
        isBase64Encoded: false,
      },
    });
    expect(message.request.headers['x-portico-app-id']).toBe(t.app.app.appId);
    expect(message.request.headers.authorization).toBeUndefined();
    expect(t.records.at(-1)).toMatchObject({ status: 202, upstream: 'sqs:internal-intake' });
  });

  it('answer 503 when the queue does not take the message', async () => {
    t.behaviour.send = async () => {
      throw new UpstreamFailure('unavailable', 'The request could not be queued; nothing was sent.');
    };
    const result = await t.invoke(gatewayEvent('POST', 'intake', '/orders', { headers: t.bearer }));
    expect([result.statusCode, problem(result)]).toEqual([503, 'service-unavailable']);
  });

  it('refuse a request too large to queue, without holding it against the queue', async () => {
    const result = await t.invoke(
      gatewayEvent('POST', 'intake', '/orders', {
        headers: { ...t.bearer, 'content-type': 'text/plain' },
        body: 'x'.repeat(300 * 1024),
      }),
    );
    expect(result.statusCode).toBe(413);
    expect(t.handOffs).toHaveLength(0);
    expect(t.breakers.peek('intake', 'sqs:internal-intake')?.state(Date.now())).not.toBe('open');
  });

  it('publish to a bus with its detail type', async () => {
    await t.put({ name: 'intake', upstreams: [{ eventBus: 'internal-bus', detailType: 'Order Placed' }] });
    const result = await t.invoke(gatewayEvent('POST', 'intake', '/orders', { headers: t.bearer }));
    expect(result.statusCode).toBe(202);
    expect(t.handOffs.at(-1)!.target).toEqual({
      kind: 'event-bus',
      key: 'events:internal-bus',
      eventBus: 'internal-bus',
      detailType: 'Order Placed',
    });
  });
});
