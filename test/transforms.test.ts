import { beforeAll, describe, expect, it } from 'vitest';
import { putApi, registerApi } from './support/apis.ts';
import { consoleToken } from './support/console.ts';
import { as, call } from './support/http.ts';
import { adminToken, demoToken } from './support/oauth.ts';
import { portico, uniqueName } from './support/platform.ts';
import { useUpstreams } from './support/upstream.ts';
import { eventually } from './support/wait.ts';

/** Transform rules end to end: JSONata mappings, XML upstreams answered as JSON, the envelope. */
let admin: string;
let token: string;
let caller: ReturnType<typeof as>;
const upstream = useUpstreams();

beforeAll(async () => {
  admin = await adminToken();
  token = await demoToken();
  caller = as(token);
});

const register = (base: string, definition: Record<string, unknown>, servedAt = '/') =>
  registerApi(admin, uniqueName(base), { requiredScopes: ['echo:read'], ...definition }, servedAt);

describe('transform rules', () => {
  it('maps the upstream’s answer and wraps it in the envelope', async () => {
    const api = await register('mapped', {
      upstreams: [{ url: portico().upstreamUrl }],
      routes: [
        {
          method: 'GET',
          path: '/orders/{id}',
          responseTransform: {
            expression:
              '{ "orderId": $params.id, "seenPath": path, "lang": $query.lang, "upstreamStatus": $status }',
            envelope: true,
          },
        },
      ],
    });
    const answer = await caller.get(`/apis/${api}/orders/o-7?lang=zh`);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.body).toEqual({
      code: 0,
      msg: 'ok',
      data: { orderId: 'o-7', seenPath: '/orders/o-7', lang: 'zh', upstreamStatus: 200 },
      requestId: answer.headers.get('x-request-id'),
    });
  });

  it('answers an XML upstream as JSON', async () => {
    const xml = await upstream();
    xml.behaviour = () => ({
      headers: { 'content-type': 'application/xml; charset=utf-8' },
      body: '<?xml version="1.0"?><rsp stat="ok"><order id="o-9"><total>12.50</total><item>tea</item><item>cake</item></order></rsp>',
    });
    const api = await register('xml', {
      upstreams: [{ url: xml.url }],
      responseTransform: { upstreamFormat: 'xml' },
      routes: [
        {
          method: 'GET',
          path: '/orders/{id}',
          responseTransform: {
            expression:
              '{ "id": rsp.order.`@id`, "total": $number(rsp.order.total), "items": [rsp.order.item] }',
          },
        },
        { method: 'GET', path: '/raw' },
      ],
    });
    const mapped = await caller.get(`/apis/${api}/orders/o-9`);
    expect(mapped.status, mapped.text).toBe(200);
    expect(mapped.headers.get('content-type')).toBe('application/json');
    expect(mapped.body).toEqual({ id: 'o-9', total: 12.5, items: ['tea', 'cake'] });

    const converted = await caller.get(`/apis/${api}/raw`);
    expect(converted.status, converted.text).toBe(200);
    expect(converted.body).toEqual({
      rsp: { '@stat': 'ok', order: { '@id': 'o-9', total: '12.50', item: ['tea', 'cake'] } },
    });
    expect(xml.received[0]?.headers['accept-encoding']).toBe('identity');
  });

  it('sends the upstream the mapped request body', async () => {
    const api = await register('request-mapped', {
      upstreams: [{ url: portico().upstreamUrl }],
      routes: [
        {
          method: 'POST',
          path: '/orders',
          requestTransform: {
            expression: '{ "sku": item.code, "quantity": $number(qty), "channel": $query.channel }',
          },
        },
      ],
    });
    const answer = await caller.send('POST', `/apis/${api}/orders?channel=app`, {
      item: { code: 'T-1', name: 'tea' },
      qty: '2',
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.headers['content-type']).toBe('application/json');
    expect(JSON.parse(answer.body.body)).toEqual({ sku: 'T-1', quantity: 2, channel: 'app' });

    const notJson = await call(`/apis/${api}/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: 'qty=2',
    });
    expect(notJson.status, notJson.text).toBe(400);
    expect(notJson.body.type).toBe('urn:portico:problem:malformed-body');
  });

  it('answers a failing mapping with 502 mapping-failed, and logs the call as such', async () => {
    const bad = await upstream();
    bad.behaviour = (request) =>
      request.path === '/xml'
        ? { headers: { 'content-type': 'application/xml' }, body: '<rsp><unclosed></rsp>' }
        : { body: { ok: true } };
    const api = await register('failing', {
      upstreams: [{ url: bad.url }],
      routes: [
        { method: 'GET', path: '/xml', responseTransform: { upstreamFormat: 'xml' } },
        { method: 'GET', path: '/throws', responseTransform: { expression: '$error("internal detail 42")' } },
      ],
    });
    const malformed = await caller.get(`/apis/${api}/xml`);
    expect(malformed.status).toBe(502);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');
    expect(malformed.body).toMatchObject({
      type: 'urn:portico:problem:mapping-failed',
      status: 502,
      reason: 'malformed-xml',
    });

    const throws = await caller.get(`/apis/${api}/throws`);
    expect(throws.status).toBe(502);
    expect(throws.body).toMatchObject({
      type: 'urn:portico:problem:mapping-failed',
      reason: 'expression-failed',
    });
    expect(throws.text).not.toContain('internal detail 42');

    const operator = await consoleToken(admin, 'operator');
    const requestId = throws.headers.get('x-request-id')!;
    const [logged] = await eventually(async () => {
      const found = await as(operator).get(`/console/v1/logs?requestId=${requestId}`);
      return found.body.records?.length ? found.body.records : undefined;
    }, 30_000);
    expect(logged).toMatchObject({ requestId, api, status: 502, errorType: 'mapping-failed' });
  });

  it('refuses a definition whose expression does not compile, naming the field', async () => {
    const answer = await putApi(admin, uniqueName('broken'), {
      upstreams: [{ url: portico().upstreamUrl }],
      timeoutMs: 3000,
      routes: [
        { method: 'GET', path: '/a' },
        { method: 'GET', path: '/b' },
        { method: 'GET', path: '/c', responseTransform: { expression: '{ "id": order.id ' } },
      ],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.type).toBe('urn:portico:problem:validation-failed');
    expect(answer.body.errors).toEqual([
      { pointer: '/routes/2/responseTransform/expression', message: expect.stringMatching(/JSONata/) },
    ]);
  });
});
