import { describe, expect, it } from 'vitest';
import type { ProxiedRequest } from '../forward.ts';
import { compileMapping } from './mapping.ts';
import { mappingContext } from './mapping-context.ts';
import { mapRequest } from './request-mapping.ts';

const request = (body: string, headers: Record<string, string> = {}): ProxiedRequest => ({
  method: 'POST',
  path: '/orders/7',
  rawQueryString: 'tag=a&tag=b&lang=zh',
  headers: { 'content-type': 'text/plain', 'content-encoding': 'identity', ...headers },
  body: Buffer.from(body),
  sourceIp: '203.0.113.9',
  requestId: 'req-1',
});

describe('mapRequest', () => {
  it('rewrites the JSON body with the path parameters and query in reach', async () => {
    const call = request('{"qty":2}');
    const mapped = await mapRequest(
      compileMapping(
        '{ "orderId": $params.id, "quantity": qty, "tags": $query.tag, "lang": $query.lang }',
        'request',
      ),
      call,
      mappingContext(call, { id: '7' }),
    );
    expect(JSON.parse(mapped.body.toString())).toEqual({
      orderId: '7',
      quantity: 2,
      tags: ['a', 'b'],
      lang: 'zh',
    });
    expect(mapped.headers['content-type']).toBe('application/json');
    expect(mapped.headers['content-encoding']).toBeUndefined();
    expect(mapped.path).toBe('/orders/7');
  });

  it('maps an empty body as nothing, and nothing as an empty body', async () => {
    const call = request('');
    const mapped = await mapRequest(compileMapping('$', 'request'), call, mappingContext(call, {}));
    expect(mapped.body.length).toBe(0);
    expect(mapped.headers['content-type']).toBeUndefined();
  });

  it('refuses a body that is not JSON as the caller’s mistake', async () => {
    const call = request('qty=2');
    await expect(
      mapRequest(compileMapping('$', 'request'), call, mappingContext(call, {})),
    ).rejects.toMatchObject({
      code: 'malformed-body',
    });
  });

  it('answers a failing mapping with the stable mapping error', async () => {
    const call = request('{}');
    await expect(
      mapRequest(compileMapping('$error("no")', 'request'), call, mappingContext(call, {})),
    ).rejects.toMatchObject({ code: 'mapping-failed', details: { reason: 'expression-failed' } });
  });
});
