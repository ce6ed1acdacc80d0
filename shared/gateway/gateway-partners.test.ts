import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { httpHandler } from '../http/middleware.ts';
import type { HttpResult } from '../http/types.ts';
import { DomainError } from '../kernel/errors.ts';
import { createLogger } from '../observability.ts';
import { clientResponseHeaders } from './headers.ts';
import { invokeGateway } from './http/api-gateway.ts';
import type { PartnerHealthGate, UpstreamTransport } from './ports.ts';
import { gatewayEvent, inMemoryGateway } from './testing/in-memory-gateway.ts';

const context = { awsRequestId: 'ctx', functionName: 'gateway' } as Context;
const logger = createLogger('gateway-test');
logger.setLogLevel('SILENT');

describe('the gateway and partner health', () => {
  let unhealthy: Set<string>;
  let counted: { partnerId: string; ok: boolean }[];
  let upstreamStatus: number;
  let t: Awaited<ReturnType<typeof setup>>;

  async function setup() {
    const calls: string[] = [];
    const transport: UpstreamTransport = async (call) => {
      calls.push(String(call.url));
      const response = Response.json({ ok: true }, { status: upstreamStatus });
      return {
        status: response.status,
        headers: clientResponseHeaders(response.headers),
        body: Buffer.from(await response.arrayBuffer()),
        upstreamLatencyMs: 12,
      };
    };
    const partners: PartnerHealthGate = {
      refusal: async (partnerId) =>
        unhealthy.has(partnerId)
          ? new DomainError(
              'partner-unavailable',
              'The partner behind this API is unavailable.',
              { retryAfterSeconds: 30 },
              { retryAfterSeconds: 30 },
            )
          : undefined,
      record: (partnerId, call) => void counted.push({ partnerId, ok: call.ok }),
    };
    const platform = await inMemoryGateway({ transport, partners });
    const handler = httpHandler(logger, invokeGateway(platform.gateway));
    const app = await platform.newApp(['orders:read']);
    const token = await platform.tokenFor(app, 'orders:read');
    const call = (api: string) =>
      handler(
        gatewayEvent('GET', api, '/x', { headers: { authorization: `Bearer ${token}` } }),
        context,
      ) as Promise<HttpResult>;
    return { ...platform, calls, call };
  }

  beforeEach(async () => {
    unhealthy = new Set();
    counted = [];
    upstreamStatus = 200;
    t = await setup();
    await t.put({ name: 'acme-orders', partnerId: 'acme' });
    await t.put({
      name: 'acme-degraded',
      partnerId: 'acme',
      degradeResponse: { status: 200, body: { items: [], degraded: true } },
    });
    await t.put({ name: 'own' });
  });

  it("counts every call that reached a partner's API, 5xx as failures, and none of the others", async () => {
    await t.call('acme-orders');
    upstreamStatus = 503;
    await t.call('acme-orders');
    await t.call('own');
    expect(counted).toEqual([
      { partnerId: 'acme', ok: true },
      { partnerId: 'acme', ok: false },
    ]);
  });

  it('does not call an unhealthy partner: 503 partner-unavailable with Retry-After, recorded, not counted', async () => {
    unhealthy.add('acme');
    const refused = await t.call('acme-orders');
    expect(refused.statusCode).toBe(503);
    expect(JSON.parse(refused.body!).type).toBe('urn:portico:problem:partner-unavailable');
    expect(refused.headers['retry-after']).toBe('30');
    expect(t.calls).toEqual([]);
    expect(counted).toEqual([]);
    expect(t.records.at(-1)).toMatchObject({
      partnerId: 'acme',
      status: 503,
      errorType: 'partner-unavailable',
    });
    expect((await t.call('own')).statusCode).toBe(200);
  });

  it("answers with the API's degrade answer when it has one", async () => {
    unhealthy.add('acme');
    const degraded = await t.call('acme-degraded');
    expect(degraded.statusCode).toBe(200);
    expect(JSON.parse(degraded.body!)).toEqual({ items: [], degraded: true });
    expect(t.calls).toEqual([]);
    expect(t.records.at(-1)).toMatchObject({ errorType: 'partner-unavailable' });
  });
});
