import { describe, expect, it } from 'vitest';
import { curlCommand, exampleRequest } from './example-request.ts';
import type { OpenApiDocument } from './openapi.ts';
import { operationsOf } from './operations.ts';

const document = {
  openapi: '3.1.0',
  info: { title: 'orders', version: '1' },
  servers: [{ url: 'https://api.portico.dev/apis/orders' }],
  paths: {
    '/orders/{orderId}': {
      get: {
        parameters: [
          { name: 'orderId', in: 'path', required: true, example: 'o-42' },
          { name: 'expand', in: 'query', schema: { enum: ['items'] } },
          { name: 'limit', in: 'query', schema: { type: 'integer', example: 10 } },
          { name: 'page', in: 'query', required: true },
        ],
        security: [{ oauth2: ['orders:read'] }],
      },
    },
    '/orders': {
      post: {
        security: [{ oauth2: ['orders:write'] }],
        requestBody: { content: { 'application/json': { example: { sku: "it's" } } } },
      },
    },
  },
  components: { securitySchemes: { oauth2: { type: 'oauth2', flows: {} } } },
} as unknown as OpenApiDocument;

const [get, post] = operationsOf(document).map((group) => group.operations[0]!);

describe('the example request of an operation', () => {
  it('fills the URL from examples and marks what the caller must supply', () => {
    expect(exampleRequest(document, get!)).toEqual({
      method: 'GET',
      url: 'https://api.portico.dev/apis/orders/orders/o-42?limit=10&page=%3Cpage%3E',
      headers: [['Authorization', 'Bearer $TOKEN']],
      body: undefined,
    });
  });

  it('sends the example body and quotes it for the shell', () => {
    const request = exampleRequest(document, post!);
    expect(request.body).toBe('{\n  "sku": "it\'s"\n}');
    expect(curlCommand(request)).toBe(
      [
        "curl -X POST 'https://api.portico.dev/apis/orders/orders'",
        '-H "Authorization: Bearer $TOKEN"',
        "-H 'Content-Type: application/json'",
        `-d '{\n  "sku": "it'\\''s"\n}'`,
      ].join(' \\\n  '),
    );
  });
});
