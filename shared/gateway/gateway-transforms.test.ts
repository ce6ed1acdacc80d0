import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { httpHandler } from '../http/middleware.ts';
import type { HttpResult } from '../http/types.ts';
import { createLogger } from '../observability.ts';
import type { ApiDefinition } from './api-definition.ts';
import { invokeGateway } from './http/api-gateway.ts';
import type { UpstreamCall } from './ports.ts';
import { gatewayEvent, inMemoryGateway } from './testing/in-memory-gateway.ts';

const context = { awsRequestId: 'ctx', functionName: 'gateway' } as Context;
const logger = createLogger('gateway-transforms-test');
logger.setLogLevel('SILENT');

/** One call through the whole pipeline to an API with `definition`, the upstream answering `answer`. */
async function callThrough(
  definition: Partial<ApiDefinition>,
  answer: { status?: number; headers?: Record<string, string>; body: string },
  request: { method?: string; path?: string; body?: string } = {},
) {
  const sent: UpstreamCall[] = [];
  const platform = await inMemoryGateway({
    transport: async (call) => {
      sent.push(call);
      return {
        status: answer.status ?? 200,
        headers: answer.headers ?? { 'content-type': 'application/json' },
        body: Buffer.from(answer.body),
        upstreamLatencyMs: 1,
      };
    },
  });
  const handler = httpHandler(logger, invokeGateway(platform.gateway));
  const app = await platform.newApp(['orders:read']);
  const token = await platform.tokenFor(app);
  await platform.put({ name: 'orders', ...definition });
  const result = (await handler(
    gatewayEvent(request.method ?? 'GET', 'orders', request.path ?? '/orders/7', {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(request.body !== undefined ? { body: request.body } : {}),
    }),
    context,
  )) as HttpResult;
  const text = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64').toString() : result.body;
  return { result, body: text ? JSON.parse(text) : undefined, sent, records: platform.records };
}

describe('the gateway and transform rules', () => {
  it('answers an XML upstream as mapped JSON in the envelope', async () => {
    const { result, body, sent } = await callThrough(
      {
        routes: [
          {
            method: 'GET',
            path: '/orders/{id}',
            responseTransform: {
              upstreamFormat: 'xml',
              envelope: true,
              expression: '{ "id": $params.id, "total": $number(order.total) }',
            },
          },
        ],
      },
      {
        headers: { 'content-type': 'application/xml', etag: '"x"' },
        body: '<order><total>9.5</total></order>',
      },
    );
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('application/json');
    expect(result.headers?.etag).toBeUndefined();
    expect(body).toMatchObject({ code: 0, msg: 'ok', data: { id: '7', total: 9.5 } });
    expect(body.requestId).toEqual(expect.any(String));
    expect(sent[0]?.headers['accept-encoding']).toBe('identity');
  });

  it('sends the upstream the mapped request body', async () => {
    const { sent } = await callThrough(
      {
        routes: [
          { method: 'POST', path: '/orders', requestTransform: { expression: '{ "qty": quantity * 2 }' } },
        ],
      },
      { body: '{}' },
      { method: 'POST', path: '/orders', body: '{"quantity":3}' },
    );
    expect(JSON.parse(sent[0]!.body.toString())).toEqual({ qty: 6 });
    expect(sent[0]?.headers['content-type']).toBe('application/json');
  });

  it('answers 502 mapping-failed, recorded as such, when the mapping fails', async () => {
    const { result, body, records } = await callThrough(
      { responseTransform: { expression: '$error("internal secret")' } },
      { body: '{"a":1}' },
    );
    expect(result.statusCode).toBe(502);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(body).toMatchObject({
      type: 'urn:portico:problem:mapping-failed',
      status: 502,
      reason: 'expression-failed',
    });
    expect(JSON.stringify(body)).not.toContain('secret');
    expect(records[0]).toMatchObject({ status: 502, errorType: 'mapping-failed', upstreamLatencyMs: 1 });
  });

  it('refuses a request body that is not JSON with 400 when the route maps it', async () => {
    const { result, sent } = await callThrough(
      { routes: [{ method: 'POST', path: '/orders', requestTransform: { expression: '$' } }] },
      { body: '{}' },
      { method: 'POST', path: '/orders', body: 'not json' },
    );
    expect(result.statusCode).toBe(400);
    expect(sent).toHaveLength(0);
  });

  it('never transforms a mock answer', async () => {
    const { body } = await callThrough(
      {
        responseTransform: { envelope: true, expression: '{ "mapped": true }' },
        mock: {
          enabled: true,
          rules: [{ method: 'GET', path: '/orders/{id}', status: 200, body: { id: 'mocked' } }],
        },
      },
      { body: '{}' },
    );
    expect(body).toEqual({ id: 'mocked' });
  });

  it('relays an API without rules byte for byte', async () => {
    const { result, body } = await callThrough(
      {},
      { headers: { 'content-type': 'text/plain' }, body: '"as is"' },
    );
    expect(result.headers?.['content-type']).toBe('text/plain');
    expect(body).toBe('as is');
  });
});
