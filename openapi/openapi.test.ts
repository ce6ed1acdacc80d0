import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { CONSOLE_ADMIN_SCOPE } from '../shared/config/names.ts';
import { API_NAME_PATTERN } from '../shared/gateway/api-definition.ts';
import { IDENTITY_HEADERS } from '../shared/gateway/headers.ts';
import { type ProblemCode, problemCodes, problemType } from '../shared/http/problem.ts';
import { SCOPE_PATTERN } from '../shared/identity/model.ts';
import { validateCreateApp } from '../shared/identity/register-app.ts';
import doc from './portico.openapi.json' with { type: 'json' };

type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const GATEWAY_METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const document = doc as unknown as Json;
const paths = document.paths as Record<string, Record<string, Json>>;
const components = document.components as Record<string, Record<string, Json>>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every `$ref` string anywhere in the document, with where it was found. */
function collectRefs(node: unknown, at = '#', found: { ref: string; at: string }[] = []) {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) collectRefs(item, `${at}/${i}`, found);
  } else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push({ ref: value, at });
      else collectRefs(value, `${at}/${key}`, found);
    }
  }
  return found;
}

/** Resolves a local JSON Pointer reference (RFC 6901) against the document. */
function resolve(ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) || !Object.hasOwn(node, segment)) return undefined;
    node = node[segment];
  }
  return node;
}

const deref = (node: unknown): Json => {
  const target = isObject(node) && typeof node.$ref === 'string' ? resolve(node.$ref) : node;
  if (!isObject(target)) throw new Error(`not an object: ${JSON.stringify(node)}`);
  return target;
};

const operations = (): { where: string; operation: Json }[] =>
  Object.entries(paths).flatMap(([path, item]) =>
    METHODS.filter((m) => m in item).map((m) => ({
      where: `${m.toUpperCase()} ${path}`,
      operation: item[m]!,
    })),
  );

/** `'METHOD /path': fn,` entries of the `routes` object literal in the API stack. */
function stackRoutes(): { method: string; path: string; target: string }[] {
  const source = readFileSync(new URL('../infra/stacks/api-stack.ts', import.meta.url), 'utf8');
  const block = /const routes(?::\s*\w+)?\s*=\s*\{([\s\S]*?)\n\s*\};/.exec(source)?.[1];
  if (!block) throw new Error('routes object not found in infra/stacks/api-stack.ts');
  return [...block.matchAll(/'([A-Z]+) (\/[^']*)':\s*(\w+),/g)].map(([, method, path, target]) => ({
    method: method!,
    path: path!,
    target: target!,
  }));
}

const toOpenApiPath = (path: string) => path.replace(/\{(\w+)\+\}/g, '{$1}');

/** Drops annotation keywords, leaving the types and constraints of a schema. */
function constraints(schema: unknown, isPropertyMap = false): unknown {
  if (Array.isArray(schema)) return schema.map((item) => constraints(item));
  if (!isObject(schema)) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => isPropertyMap || !['description', 'examples', 'example', 'title'].includes(key))
      .map(([key, value]) => [key, constraints(value, !isPropertyMap && key === 'properties')]),
  );
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: 'Portico', version: '0.1.0' });
  });

  it('resolves every $ref to an existing component', () => {
    const refs = collectRefs(document);
    expect(refs.length).toBeGreaterThan(0);
    for (const { ref, at } of refs) {
      expect(ref, at).toMatch(/^#\/components\/[^/]+\/[^/]+$/);
      expect(resolve(ref), `${ref} (used at ${at})`).toBeDefined();
    }
  });

  it('documents every route of the API stack', () => {
    const routes = stackRoutes();
    expect(routes.map((r) => `${r.method} ${r.path}`)).toContain('POST /oauth2/token');
    expect(routes.length).toBeGreaterThanOrEqual(13);
    for (const { method, path } of routes) {
      const item = paths[toOpenApiPath(path)];
      expect(item, `${method} ${path}`).toBeDefined();
      const methods = method === 'ANY' ? ['get'] : [method.toLowerCase()];
      for (const m of methods) expect(item?.[m], `${method} ${path} as ${m}`).toBeDefined();
    }
  });

  it('lists every relayed method on the gateway and the reserved /v1 paths', () => {
    for (const path of ['/apis/{apiName}', '/apis/{apiName}/{path}', '/v1/{proxy}']) {
      for (const m of GATEWAY_METHODS) expect(paths[path]?.[m], `${m} ${path}`).toBeDefined();
    }
  });

  it('documents the fallback routes as 501 not-implemented', () => {
    const planned = stackRoutes().filter((r) => r.target === 'fallback');
    expect(planned.length).toBeGreaterThan(0);
    for (const { method, path } of planned) {
      const m = method === 'ANY' ? 'get' : method.toLowerCase();
      const responses = paths[toOpenApiPath(path)]?.[m]?.responses as Json;
      expect(responses?.['501'], `${method} ${path}`).toEqual({
        $ref: '#/components/responses/NotImplemented',
      });
    }
  });

  it('gives every operation a unique operationId', () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('puts the x-request-id header on every response', () => {
    expect(components.headers?.RequestId).toBeDefined();
    for (const { where, operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses as Json)) {
        const headers = deref(response).headers as Json | undefined;
        expect(headers?.['x-request-id'], `${where} ${status}`).toEqual({
          $ref: '#/components/headers/RequestId',
        });
      }
    }
  });

  it('answers problems as application/problem+json with the codes and statuses of problem.ts', () => {
    const knownTypes = Object.keys(problemCodes).map((code) => problemType(code as ProblemCode));
    const problem = components.schemas!.Problem as { properties: Record<string, Json>; required: string[] };
    expect(problem.properties.type?.examples).toEqual(knownTypes);
    expect(problem.required).toEqual(['type', 'title', 'status']);
    expect(Object.keys(problem.properties)).toEqual([
      'type',
      'title',
      'status',
      'detail',
      'instance',
      'errors',
    ]);

    const statusOf = (type: string) => {
      const code = type.replace('urn:portico:problem:', '') as ProblemCode;
      expect(problemCodes[code], type).toBeDefined();
      return problemCodes[code].status;
    };
    const problemResponses = Object.entries(components.responses!).filter(
      ([, response]) => isObject(response.content) && 'application/problem+json' in response.content,
    );
    expect(problemResponses.length).toBeGreaterThanOrEqual(10);
    for (const [name, response] of problemResponses) {
      const media = (response.content as Record<string, Json>)['application/problem+json']!;
      const [base, narrowed] = (media.schema as { allOf: Json[] }).allOf as [Json, { properties: Json }];
      expect(base, name).toEqual({ $ref: '#/components/schemas/Problem' });
      const type = narrowed.properties.type as { const?: string; enum?: string[] };
      const status = narrowed.properties.status as { const?: number; enum?: number[] };
      const types = type.enum ?? [type.const!];
      const statuses = status.enum ?? [status.const!];
      expect(new Set(types.map(statusOf)), name).toEqual(new Set(statuses));
      for (const { value } of Object.values(media.examples as Record<string, { value: Json }>)) {
        expect(types, name).toContain(value.type);
        expect(value.status, name).toBe(statusOf(value.type as string));
        expect(value.title, name).toBe(problemCodes[(value.type as string).slice(20) as ProblemCode].title);
      }
    }
  });

  it('documents OAuth errors with RFC 6749 members and the oauth problem type', () => {
    const schema = components.schemas!.OAuthError as { required: string[]; properties: Record<string, Json> };
    expect(schema.required).toEqual(['error', 'error_description', 'type', 'title', 'status']);
    expect(schema.properties.type?.pattern).toBe('^urn:portico:problem:oauth:');
    const token = paths['/oauth2/token']!.post!;
    const responses = token.responses as Json;
    for (const status of ['400', '401']) {
      const response = deref(responses[status]);
      expect(Object.keys(response.content as Json)).toEqual(['application/json']);
      expect((response.headers as Json)['Cache-Control']).toEqual({
        $ref: '#/components/headers/CacheControlNoStore',
      });
    }
    expect(Object.keys((token.requestBody as { content: Json }).content)).toEqual([
      'application/x-www-form-urlencoded',
    ]);
  });

  it('declares the security schemes', () => {
    expect(components.securitySchemes).toMatchObject({
      clientBasic: { type: 'http', scheme: 'basic' },
      bearerToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      oauth2: {
        type: 'oauth2',
        flows: {
          clientCredentials: {
            tokenUrl: '/oauth2/token',
            scopes: { [CONSOLE_ADMIN_SCOPE]: expect.any(String) },
          },
        },
      },
    });
    for (const { where, operation } of operations().filter((o) => o.where.includes('/console/'))) {
      expect(operation.security, where).toEqual([{ oauth2: [CONSOLE_ADMIN_SCOPE] }]);
    }
    for (const { where, operation } of operations().filter((o) => o.where.includes(' /apis/'))) {
      expect(operation.security, where).toEqual([{ bearerToken: [] }]);
    }
  });

  it('describes the gateway parameters and the identity headers sent upstream', () => {
    const apiName = components.parameters!.ApiName as { schema: Json };
    expect(apiName.schema.pattern).toBe(API_NAME_PATTERN);
    const description = paths['/apis/{apiName}/{path}']!.get!.description as string;
    for (const name of [...Object.values(IDENTITY_HEADERS), 'traceparent'])
      expect(description).toContain(name);
    expect((components.parameters!.GatewayPath as Json).description).toMatch(/slash/);
  });
});

describe('the create-app request schema', () => {
  const schema = components.schemas!.CreateAppRequest as Json & { properties: Record<string, Json> };

  it('has the shape of register-app.ts', () => {
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(['name']);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties).sort()).toEqual(['description', 'innerId', 'name', 'scopes']);
    expect(Object.keys(constraints(schema) as { properties: Json }).sort()).toEqual([
      'additionalProperties',
      'properties',
      'required',
      'type',
    ]);
  });

  // Mirrors createAppSchema in shared/identity/register-app.ts.
  it.each([
    ['name', { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' }],
    ['description', { type: 'string', maxLength: 1000 }],
    ['innerId', { type: 'string', minLength: 1, maxLength: 128 }],
    [
      'scopes',
      {
        type: 'array',
        items: { type: 'string', pattern: SCOPE_PATTERN },
        maxItems: 100,
        uniqueItems: true,
      },
    ],
  ])('constrains %s as register-app.ts does', (property, expected) => {
    expect(constraints(schema.properties[property])).toEqual(expected);
  });

  it('accepts and refuses the same bodies as the console', () => {
    const documented = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    const consoleAccepts = (body: unknown) => {
      try {
        validateCreateApp(body);
        return true;
      } catch {
        return false;
      }
    };
    const bodies: unknown[] = [
      { name: 'Order sync' },
      { name: 'x', description: 'd', innerId: 'u-1', scopes: ['orders:read', 'a/b.c_d-e'] },
      { name: 'x', description: null, innerId: null, scopes: null },
      {},
      { name: '' },
      { name: '   ' },
      { name: 'x'.repeat(100) },
      { name: 'x'.repeat(101) },
      { name: 'x', description: 'd'.repeat(1000) },
      { name: 'x', description: 'd'.repeat(1001) },
      { name: 'x', innerId: '' },
      { name: 'x', innerId: 'i'.repeat(129) },
      { name: 'x', scopes: ['a', 'a'] },
      { name: 'x', scopes: ['-bad'] },
      { name: 'x', scopes: [`a${'b'.repeat(128)}`] },
      { name: 'x', scopes: Array.from({ length: 101 }, (_, i) => `s${i}`) },
      { name: 'x', extra: true },
      { name: 42 },
    ];
    for (const body of bodies) expect(documented(body), JSON.stringify(body)).toBe(consoleAccepts(body));
  });
});
