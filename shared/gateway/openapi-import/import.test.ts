import { describe, expect, it } from 'vitest';
import { DomainError } from '../../kernel/errors.ts';
import type { ApiDefinition } from '../api-definition.ts';
import { RequestValidator } from '../request-validation.ts';
import { importOpenApi } from './import.ts';
import { petstoreText } from './testing/petstore.ts';

const settings = { upstreams: [{ url: 'https://pets.example' }], timeoutMs: 3000 };

const doc = (paths: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths, ...extra });

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('validation-failed');
    return (error as DomainError).details.errors as { pointer: string; message: string }[];
  }
  throw new Error('accepted');
}

describe('importOpenApi: the Petstore', () => {
  const { definition, warnings } = importOpenApi(petstoreText(), 'pets', undefined, settings);

  it('makes a route of every operation, with parameters and schemas', () => {
    expect(warnings).toEqual([]);
    expect(definition).toMatchObject({ name: 'pets', version: '1.0.0', ...settings });
    expect(definition.description).toBe('A sample API that uses a petstore as an example.');
    const [list, create, show] = definition.routes!;
    expect(list).toMatchObject({
      method: 'GET',
      path: '/pets',
      summary: 'List all pets',
      parameters: [
        {
          name: 'limit',
          in: 'query',
          description: 'How many items to return at one time (max 100)',
          schema: { type: 'integer', maximum: 100, format: 'int32' },
        },
      ],
      responseSchema: {
        $ref: '#/$defs/Pets',
        $defs: { Pets: { type: 'array', maxItems: 100, items: { $ref: '#/$defs/Pet' } } },
      },
    });
    expect(create).toMatchObject({ method: 'POST', requestSchema: { $ref: '#/$defs/Pet' } });
    expect(create!.requestSchema!.$defs).toHaveProperty('Pet');
    expect(create).not.toHaveProperty('requestBodyRequired');
    expect(show!.parameters).toEqual([
      {
        name: 'petId',
        in: 'path',
        required: true,
        schema: { type: 'string' },
        description: 'The id of the pet to retrieve',
      },
    ]);
  });

  it('validates requests as the document says', () => {
    const validator = new RequestValidator(definition);
    const check = (method: string, path: string, rawQueryString = '', body?: unknown) =>
      validator.check({
        method,
        path,
        rawQueryString,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
      });
    expect(() => check('GET', '/pets', 'limit=10')).not.toThrow();
    expect(refusal(() => check('GET', '/pets', 'limit=abc'))).toEqual([
      { pointer: '/query/limit', message: 'must be integer' },
    ]);
    expect(refusal(() => check('POST', '/pets', '', { id: 1 }))).toEqual([
      { pointer: '/name', message: 'is required' },
    ]);
    expect(() => check('POST', '/pets', '', { id: 1, name: 'Tom' })).not.toThrow();
  });

  it('takes the upstream from servers[0].url when none is given, and needs a timeout for a new API', () => {
    const fromServers = importOpenApi(petstoreText(), 'pets', undefined, { timeoutMs: 1000 });
    expect(fromServers.definition.upstreams).toEqual([{ url: 'http://petstore.swagger.io/v1' }]);
    expect(refusal(() => importOpenApi(petstoreText(), 'pets', undefined, {}))).toEqual([
      { pointer: '/query/timeoutMs', message: 'is required to register a new API' },
    ]);
  });
});

describe('importOpenApi: over a current revision', () => {
  const current: ApiDefinition = {
    name: 'pets',
    version: '0.9',
    description: 'old',
    upstreams: [{ url: 'https://current.example' }],
    timeoutMs: 5000,
    authModes: ['token'],
    requiredScopes: ['pets:all'],
    rateLimits: { app: { limit: 10, windowSeconds: 60 } },
    cors: { allowOrigins: ['https://shop.example'] },
    routes: [
      { method: 'GET', path: '/gone' },
      { method: 'GET', path: '/pets', requiredScopes: ['old:scope'] },
    ],
  };

  it('keeps the gateway settings and replaces the routes', () => {
    const { definition } = importOpenApi(petstoreText(), 'pets', current, {});
    expect(definition).toMatchObject({
      version: '1.0.0',
      upstreams: current.upstreams,
      timeoutMs: 5000,
      authModes: ['token'],
      requiredScopes: ['pets:all'],
      rateLimits: current.rateLimits,
      cors: current.cors,
    });
    expect(definition.routes!.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /pets',
      'POST /pets',
      'GET /pets/{petId}',
    ]);
    expect(definition.routes![0]).not.toHaveProperty('requiredScopes');
  });

  it('lets the request replace the upstream and the timeout', () => {
    const { definition } = importOpenApi(petstoreText(), 'pets', current, settings);
    expect(definition).toMatchObject(settings);
  });
});

describe('importOpenApi: security', () => {
  const secured = (security: unknown) =>
    doc(
      { '/a': { get: { security, responses: {} } } },
      {
        components: {
          securitySchemes: {
            oauth: { type: 'oauth2', flows: {} },
            key: { type: 'apiKey', in: 'header', name: 'k' },
          },
        },
      },
    );
  const scopes = (security: unknown) =>
    importOpenApi(secured(security), 'a', undefined, settings).definition.routes![0]!.requiredScopes;

  it('requires the OAuth2 scopes of an operation', () => {
    expect(scopes([{ oauth: ['pets:read', 'pets:write'] }])).toEqual(['pets:read', 'pets:write']);
    expect(scopes([{ key: [] }])).toBeUndefined();
  });

  it('merges alternatives into a stricter rule, and warns of it and of anonymous access', () => {
    const { definition, warnings } = importOpenApi(
      secured([{ oauth: ['a'] }, { oauth: ['b'] }, {}]),
      'a',
      undefined,
      settings,
    );
    expect(definition.routes![0]!.requiredScopes).toEqual(['a', 'b']);
    expect(warnings.map((w) => w.pointer)).toEqual(['/paths/~1a/get/security', '/paths/~1a/get/security']);
  });

  it('refuses an unknown scheme and a scope the platform cannot hold', () => {
    expect(refusal(() => scopes([{ nope: [] }, { oauth: ['bad scope'] }]))).toEqual([
      {
        pointer: '/paths/~1a/get/security/0/nope',
        message: 'names no scheme of #/components/securitySchemes',
      },
      { pointer: '/paths/~1a/get/security/1/oauth/0', message: expect.stringContaining('must match') },
    ]);
  });
});

describe('importOpenApi: refusals point into the document', () => {
  it.each([
    ['not OpenAPI 3', JSON.stringify({ swagger: '2.0', info: {}, paths: {} }), '/swagger'],
    ['a 4.0 document', JSON.stringify({ openapi: '4.0.0', info: {} }), '/openapi'],
    ['no operations', doc({}), '/paths'],
    [
      'a cookie parameter',
      doc({ '/a': { get: { parameters: [{ name: 'c', in: 'cookie' }] } } }),
      '/paths/~1a/get/parameters/0/in',
    ],
    ['TRACE', doc({ '/a': { trace: {} } }), '/paths/~1a/trace'],
    ['a partial-segment template', doc({ '/a/{id}.json': { get: {} } }), '/paths/~1a~1{id}.json'],
    [
      'an unknown path parameter',
      doc({ '/a': { get: { parameters: [{ name: 'id', in: 'path', required: true }] } } }),
      '/paths/~1a/get/parameters/0/name',
    ],
    [
      'an external $ref',
      doc({ '/a': { get: { requestBody: { $ref: 'other.yaml#/x' } } } }),
      '/paths/~1a/get/requestBody/$ref',
    ],
    [
      'an external schema $ref',
      doc({
        '/a': {
          post: {
            requestBody: {
              content: { 'application/json': { schema: { $ref: 'https://x.example/s.json' } } },
            },
          },
        },
      }),
      '/paths/~1a/post/requestBody/content/application~1json/schema/$ref',
    ],
    [
      'a dangling $ref',
      doc({ '/a': { get: { parameters: [{ $ref: '#/components/parameters/none' }] } } }),
      '/components/parameters/none',
    ],
    [
      'a $ref loop',
      doc(
        { '/a': { get: { parameters: [{ $ref: '#/components/parameters/p' }] } } },
        { components: { parameters: { p: { $ref: '#/components/parameters/p' } } } },
      ),
      '/components/parameters/p/$ref',
    ],
    [
      'a bad pattern',
      doc({ '/a': { get: { parameters: [{ name: 'q', in: 'query', schema: { pattern: '(' } }] } } }),
      '/paths/~1a/get/parameters/0/schema/pattern',
    ],
    [
      'dynamic references',
      doc({ '/a': { get: { parameters: [{ name: 'q', in: 'query', schema: { $dynamicRef: '#x' } }] } } }),
      '/paths/~1a/get/parameters/0/schema/$dynamicRef',
    ],
    ['YAML that is not', 'openapi: [', ''],
  ])('refuses %s', (_, text, pointer) => {
    expect(refusal(() => importOpenApi(text, 'a', undefined, settings)).map((e) => e.pointer)).toContain(
      pointer,
    );
  });

  it('refuses more operations than an API may have routes', () => {
    const paths = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`/r${i}`, { get: {} }]));
    expect(refusal(() => importOpenApi(doc(paths), 'a', undefined, settings))).toEqual([
      { pointer: '/paths', message: 'declares 201 operations; an API has at most 200 routes' },
    ]);
  });

  it('refuses a document over 1 MiB and one nested too deeply', () => {
    const big = doc({ '/a': { get: { description: 'x'.repeat(1024 * 1024) } } });
    expect(refusal(() => importOpenApi(big, 'a', undefined, settings))[0]!.message).toContain('bytes');
    const deep = `{"openapi":"3.1.0","info":{},"x":${'['.repeat(100)}${']'.repeat(100)}}`;
    expect(refusal(() => importOpenApi(deep, 'a', undefined, settings))[0]!.message).toContain('deeper');
  });

  it('refuses a YAML alias bomb', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    expect(
      refusal(() => importOpenApi(`openapi: 3.1.0\n${lines.join('\n')}`, 'a', undefined, settings)),
    ).toHaveLength(1);
  });
});
