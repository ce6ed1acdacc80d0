import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from './openapi.ts';
import { jsonMediaType, operationsOf } from './operations.ts';

const document = {
  openapi: '3.1.0',
  info: { title: 'orders', version: '1' },
  security: [{ oauth2: ['orders:read'] }],
  paths: {
    '/orders/{orderId}': {
      parameters: [
        { name: 'orderId', in: 'path', required: true, description: 'shared' },
        { $ref: '#/components/parameters/Trace' },
      ],
      delete: { operationId: 'deleteOrder', security: [] },
      get: {
        operationId: 'getOrdersOrderId',
        summary: 'One order',
        deprecated: true,
        parameters: [{ name: 'orderId', in: 'path', required: true, description: 'own' }],
        responses: {
          default: { description: 'Anything else' },
          '404': { $ref: '#/components/responses/NotFound' },
          '200': { description: 'The order' },
          '4XX': { description: 'Client errors' },
        },
      },
    },
    '/orders': {
      post: {
        summary: 'Place an order',
        requestBody: { $ref: '#/components/requestBodies/Order' },
      },
    },
  },
  components: {
    parameters: { Trace: { name: 'traceparent', in: 'header' } },
    responses: { NotFound: { description: 'No such order' } },
    requestBodies: { Order: { required: true, content: { 'application/json': {} } } },
  },
} as unknown as OpenApiDocument;

describe('the operations of a document', () => {
  const groups = operationsOf(document);

  it('groups them by path, in the usual method order, with unique anchors', () => {
    expect(groups.map((g) => [g.path, g.operations.map((o) => [o.method, o.anchor])])).toEqual([
      [
        '/orders/{orderId}',
        [
          ['get', 'getOrdersOrderId'],
          ['delete', 'deleteOrder'],
        ],
      ],
      ['/orders', [['post', 'post-orders']]],
    ]);
  });

  it('merges path-level parameters under the operation’s own, resolving references', () => {
    const get = groups[0]!.operations[0]!;
    expect(get.parameters).toEqual([
      { name: 'orderId', in: 'path', required: true, description: 'own' },
      { name: 'traceparent', in: 'header' },
    ]);
    expect(get.deprecated).toBe(true);
    expect(get.summary).toBe('One order');
  });

  it('orders responses by status, ranges after codes and default last', () => {
    const get = groups[0]!.operations[0]!;
    expect(get.responses.map(([status]) => status)).toEqual(['200', '404', '4XX', 'default']);
    expect(get.responses[1]![1]).toEqual({ description: 'No such order' });
  });

  it('takes the document’s security unless the operation has its own', () => {
    expect(groups[0]!.operations[0]!.security).toEqual([{ oauth2: ['orders:read'] }]);
    expect(groups[0]!.operations[1]!.security).toEqual([]);
  });

  it('resolves the request body and names operations without a summary', () => {
    const post = groups[1]!.operations[0]!;
    expect(post.requestBody).toMatchObject({ required: true });
    expect(groups[0]!.operations[1]!.summary).toBe('DELETE /orders/{orderId}');
  });

  it('finds the JSON media type', () => {
    expect(jsonMediaType({ 'text/plain': {}, 'application/json': {} })).toBe('application/json');
    expect(jsonMediaType({ 'application/problem+json': {} })).toBe('application/problem+json');
    expect(jsonMediaType({ 'text/plain': {} })).toBeUndefined();
    expect(jsonMediaType(undefined)).toBeUndefined();
  });
});
