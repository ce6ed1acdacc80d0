import { describe, expect, it } from 'vitest';
import { type ApiDefinition, validateApiDefinition } from '../gateway/api-definition.ts';
import { importOpenApi } from '../gateway/openapi-import/import.ts';
import { petstoreText } from '../gateway/openapi-import/testing/petstore.ts';
import { apiDocument } from './api-document.ts';
import { lintOpenApi } from './testing/openapi-lint.ts';

const origin = { baseUrl: 'https://api.portico.dev' };

const orders = (over: Partial<ApiDefinition> = {}): ApiDefinition =>
  validateApiDefinition({
    name: 'orders',
    version: '2.1.0',
    description: 'Orders of the shop.',
    upstreams: [{ url: 'https://orders.internal.example/v2' }],
    sandboxUpstream: { url: 'https://sandbox.internal.example' },
    timeoutMs: 3000,
    authModes: ['token', 'signature'],
    requiredScopes: ['orders:read'],
    rateLimits: { appApi: { limit: 100, windowSeconds: 60, burst: 20 } },
    ipRules: { allow: ['10.0.0.0/8'] },
    routes: [
      {
        method: 'GET',
        path: '/orders/{orderId}',
        summary: 'One order',
        parameters: [
          { name: 'orderId', in: 'path', schema: { type: 'string', pattern: '^o-[0-9]+$' } },
          { name: 'expand', in: 'query', schema: { type: 'string', enum: ['items'] } },
        ],
        responseSchema: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        examples: { response: { plain: { id: 'o-42' } } },
      },
      {
        method: 'POST',
        path: '/orders',
        summary: 'Place an order',
        requiredScopes: ['orders:write'],
        requestSchema: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' } } },
        examples: { request: { one: { sku: 'ABC-1' } } },
      },
      { method: 'ANY', path: '/files/{key+}' },
    ],
    ...over,
  });

describe('the OpenAPI document of a registered API', () => {
  it('documents its routes below the gateway, with parameters, schemas, examples, scopes and auth modes', () => {
    const doc = apiDocument(orders(), origin) as any;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'orders', version: '2.1.0' });
    expect(doc.info.description).toContain('100 calls per 60 s per app on this API (bursts of up to 20)');
    expect(doc.servers).toEqual([{ url: 'https://api.portico.dev/apis/orders' }]);
    const get = doc.paths['/orders/{orderId}'].get;
    expect(get.operationId).toBe('getOrdersOrderId');
    expect(get.parameters).toEqual([
      { name: 'orderId', in: 'path', required: true, schema: { type: 'string', pattern: '^o-[0-9]+$' } },
      { name: 'expand', in: 'query', required: false, schema: { type: 'string', enum: ['items'] } },
    ]);
    expect(get.responses['200'].content['application/json']).toEqual({
      schema: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
      examples: { plain: { value: { id: 'o-42' } } },
    });
    expect(get.security).toEqual([{ oauth2: ['orders:read'] }, { signedRequest: [] }]);
    const post = doc.paths['/orders'].post;
    expect(post.security[0]).toEqual({ oauth2: ['orders:read', 'orders:write'] });
    expect(post.requestBody).toMatchObject({
      required: true,
      content: { 'application/json': { examples: { one: { value: { sku: 'ABC-1' } } } } },
    });
    // A greedy parameter is one path parameter in OpenAPI; an ANY route is every common method.
    expect(Object.keys(doc.paths['/files/{key}'])).toEqual(['get', 'post', 'put', 'patch', 'delete']);
    expect(doc.paths['/files/{key}'].get.parameters[0]).toMatchObject({
      name: 'key',
      in: 'path',
      required: true,
    });
    expect(doc.components.securitySchemes.oauth2.flows.clientCredentials).toEqual({
      tokenUrl: 'https://api.portico.dev/oauth2/token',
      scopes: {
        'orders:read': 'Granted to apps approved for orders:read.',
        'orders:write': 'Granted to apps approved for orders:write.',
      },
    });
  });

  it('shows nothing of how the API is served', () => {
    const text = JSON.stringify(apiDocument(orders(), origin));
    for (const secret of ['orders.internal.example', 'sandbox.internal.example', '10.0.0.0/8', 'timeoutMs'])
      expect(text).not.toContain(secret);
  });

  it('marks a deprecated API’s operations and says when it goes away', () => {
    const doc = apiDocument(
      orders({
        lifecycle: {
          status: 'deprecated',
          deprecatedAt: '2026-11-01T00:00:00.000Z',
          sunsetAt: '2027-03-01T00:00:00.000Z',
          link: 'https://docs.example.com/orders-v3',
        },
      }),
      origin,
    ) as any;
    expect(doc.paths['/orders'].post.deprecated).toBe(true);
    expect(doc.info.description).toContain('It stops being served at 2027-03-01T00:00:00.000Z.');
    expect(doc.info.description).toContain('https://docs.example.com/orders-v3');
  });

  it('documents the envelope a response transform wraps answers in', () => {
    const api = orders();
    api.routes![0]!.responseTransform = { expression: '$', envelope: true };
    const schema = (apiDocument(api, origin) as any).paths['/orders/{orderId}'].get.responses['200'].content[
      'application/json'
    ].schema;
    expect(schema.required).toEqual(['code', 'msg', 'data', 'requestId']);
    expect(schema.properties.data).toEqual(api.routes![0]!.responseSchema);
  });

  it('documents an API without routes as a pass-through', () => {
    const doc = apiDocument(orders({ routes: undefined }), origin) as any;
    expect(Object.keys(doc.paths)).toEqual(['/{path}']);
  });

  it('moves the schemas a route shares to components, keeping apart two that share a name', async () => {
    const pet = (idType: string) => ({
      $ref: '#/$defs/Pet',
      $defs: {
        Pet: { type: 'object', properties: { id: { type: idType }, tag: { $ref: '#/$defs/Tag' } } },
        Tag: { type: 'string' },
      },
    });
    const api = orders({
      routes: [
        { method: 'GET', path: '/a', responseSchema: pet('integer') },
        { method: 'GET', path: '/b', responseSchema: pet('integer') },
        { method: 'GET', path: '/c', responseSchema: pet('string') },
        {
          method: 'GET',
          path: '/d',
          responseSchema: { $ref: '#/$defs/Problem', $defs: { Problem: { type: 'null' } } },
        },
      ],
    });
    const doc = apiDocument(api, origin) as any;
    const schemaOf = (path: string) =>
      doc.paths[path].get.responses['200'].content['application/json'].schema;
    expect(schemaOf('/a')).toEqual({ $ref: '#/components/schemas/Pet' });
    expect(schemaOf('/b')).toEqual({ $ref: '#/components/schemas/Pet' });
    expect(schemaOf('/c')).toEqual({ $ref: '#/components/schemas/Pet2' });
    expect(schemaOf('/d')).toEqual({ $ref: '#/components/schemas/Problem2' });
    expect(doc.components.schemas.Pet2.properties).toEqual({
      id: { type: 'string' },
      tag: { $ref: '#/components/schemas/Tag2' },
    });
    expect(doc.components.schemas.Problem.required).toEqual(['type', 'title', 'status']);
    expect(await lintOpenApi(doc)).toEqual([]);
  });

  it('lints clean with Redocly’s recommended rules, for a written definition, a pass-through and an imported Petstore', async () => {
    const petstore = importOpenApi(petstoreText(), 'pets', undefined, {
      upstreams: [{ url: 'https://pets.internal.example' }],
      timeoutMs: 1000,
    }).definition;
    // The three routes share one bundle of the import's schemas.
    expect(Object.keys((apiDocument(petstore, origin) as any).components.schemas).sort()).toEqual([
      'Pet',
      'Pets',
      'Problem',
    ]);
    for (const api of [orders(), orders({ routes: undefined, authModes: ['signature'] }), petstore]) {
      const problems = await lintOpenApi(apiDocument(api, origin), `${api.name}.json`);
      expect(problems, `${api.name}: ${JSON.stringify(problems, null, 1)}`).toEqual([]);
    }
  });
});
