import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../docs/openapi.ts';
import { operationsOf } from '../docs/operations.ts';
import { initialValues, prepareCall } from './try-it-call.ts';

const document = {
  openapi: '3.1.0',
  info: { title: 'orders', version: '1' },
  servers: [{ url: 'http://127.0.0.1:3000/apis/orders' }],
  paths: {
    '/orders/{orderId}': {
      get: {
        parameters: [
          { name: 'orderId', in: 'path', required: true, example: 'o-42' },
          { name: 'expand', in: 'query' },
          { name: 'x-trace', in: 'header' },
          { name: 'session', in: 'cookie' },
        ],
      },
    },
    '/orders': {
      post: { requestBody: { required: true, content: { 'application/json': { example: { sku: 'A' } } } } },
    },
  },
} as unknown as OpenApiDocument;

const [get, post] = operationsOf(document).map((group) => group.operations[0]!);
const base = document.servers![0]!.url;

describe('the try-it form', () => {
  it('opens with the document’s examples', () => {
    expect(initialValues(document, get!)).toEqual({
      parameters: { path: { orderId: 'o-42' }, query: { expand: '' }, header: { 'x-trace': '' } },
      body: '',
    });
    expect(initialValues(document, post!).body).toBe('{\n  "sku": "A"\n}');
  });

  it('prepares the call from the form', () => {
    const values = initialValues(document, get!);
    values.parameters.query.expand = 'items';
    values.parameters.header['x-trace'] = 't1';
    expect(prepareCall(base, get!, values)).toEqual({
      ok: true,
      call: {
        method: 'GET',
        url: 'http://127.0.0.1:3000/apis/orders/orders/o-42?expand=items',
        headers: [['x-trace', 't1']],
        body: undefined,
      },
    });
    expect(prepareCall(base, post!, initialValues(document, post!))).toMatchObject({
      ok: true,
      call: { method: 'POST', headers: [['Content-Type', 'application/json']], body: '{"sku":"A"}' },
    });
  });

  it('says what keeps a call from being sent', () => {
    const values = initialValues(document, get!);
    values.parameters.path.orderId = ' ';
    expect(prepareCall(base, get!, values)).toEqual({
      ok: false,
      problems: ['The path parameter orderId is required.'],
    });
    expect(prepareCall(base, post!, { ...initialValues(document, post!), body: '{oops' })).toMatchObject({
      ok: false,
    });
    expect(prepareCall(base, post!, { ...initialValues(document, post!), body: '' })).toEqual({
      ok: false,
      problems: ['The request body is required.'],
    });
  });
});
