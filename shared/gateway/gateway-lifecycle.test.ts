import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { httpHandler } from '../http/middleware.ts';
import type { HttpResult } from '../http/types.ts';
import { createLogger } from '../observability.ts';
import { invokeGateway } from './http/api-gateway.ts';
import type { ApiLifecycle } from './lifecycle.ts';
import { gatewayEvent, inMemoryGateway } from './testing/in-memory-gateway.ts';

const context = { awsRequestId: 'ctx', functionName: 'gateway' } as Context;
const logger = createLogger('gateway-lifecycle-test');
logger.setLogLevel('SILENT');

async function callIn(lifecycle: ApiLifecycle, authenticated = true) {
  let upstreamCalls = 0;
  const deprecatedCalls: { api: string; appId: string }[] = [];
  const platform = await inMemoryGateway({
    deprecatedCalls: { called: (api, appId) => deprecatedCalls.push({ api: api.name, appId }) },
    transport: async () => {
      upstreamCalls++;
      return {
        status: 200,
        headers: { link: '</next>; rel="next"' },
        body: Buffer.from('{}'),
        upstreamLatencyMs: 1,
      };
    },
  });
  const handler = httpHandler(logger, invokeGateway(platform.gateway));
  const app = await platform.newApp(['orders:read']);
  const token = await platform.tokenFor(app, 'orders:read');
  await platform.put({ name: 'orders', lifecycle });
  const answer = (await handler(
    gatewayEvent('GET', 'orders', '/orders/7', {
      headers: authenticated ? { authorization: `Bearer ${token}` } : {},
    }),
    context,
  )) as HttpResult;
  const text = answer.isBase64Encoded ? Buffer.from(answer.body ?? '', 'base64').toString() : answer.body;
  return { answer, upstreamCalls, deprecatedCalls, appId: app.app.appId, body: JSON.parse(text || '{}') };
}

describe('the gateway and an API lifecycle', () => {
  it('hides a draft: the same 404 as an API nobody registered, and no upstream call', async () => {
    const { answer, body, upstreamCalls } = await callIn({ status: 'draft' });
    expect(answer.statusCode).toBe(404);
    expect(body.type).toBe('urn:portico:problem:unknown-api');
    expect(upstreamCalls).toBe(0);
  });

  it('serves a deprecated API with Deprecation, Sunset and Link, keeping the upstream’s links', async () => {
    const { answer, upstreamCalls, deprecatedCalls, appId } = await callIn({
      status: 'deprecated',
      deprecatedAt: '2026-12-04T10:00:00.000Z',
      sunsetAt: '2027-03-01T00:00:00.000Z',
      link: 'https://docs.example.com/orders-v2',
    });
    expect(answer.statusCode).toBe(200);
    expect(upstreamCalls).toBe(1);
    expect(answer.headers).toMatchObject({
      deprecation: `@${Date.parse('2026-12-04T10:00:00.000Z') / 1000}`,
      sunset: 'Mon, 01 Mar 2027 00:00:00 GMT',
      link: '</next>; rel="next", <https://docs.example.com/orders-v2>; rel="deprecation"; type="text/html"',
    });
    expect(deprecatedCalls).toEqual([{ api: 'orders', appId }]);
  });

  it('announces the deprecation on refusals too, telling nobody of a caller it could not authenticate', async () => {
    const { answer, deprecatedCalls } = await callIn(
      {
        status: 'deprecated',
        deprecatedAt: '2026-12-04T10:00:00.000Z',
        sunsetAt: '2027-03-01T00:00:00.000Z',
      },
      false,
    );
    expect(answer.statusCode).toBe(401);
    expect(answer.headers).toMatchObject({
      deprecation: `@${Date.parse('2026-12-04T10:00:00.000Z') / 1000}`,
      sunset: 'Mon, 01 Mar 2027 00:00:00 GMT',
    });
    expect(deprecatedCalls).toEqual([]);
  });

  it('answers a retired API with 410 problem+json and calls nobody', async () => {
    const { answer, body, upstreamCalls } = await callIn({
      status: 'retired',
      deprecatedAt: '2026-12-04T10:00:00.000Z',
      retiredAt: '2027-03-01T00:00:00.000Z',
    });
    expect(answer.statusCode).toBe(410);
    expect(body).toMatchObject({ type: 'urn:portico:problem:gone', status: 410 });
    expect(upstreamCalls).toBe(0);
  });
});
