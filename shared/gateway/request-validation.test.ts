import { Ajv } from 'ajv';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ProblemError, toProblem } from '../http/problem.ts';
import { DomainError } from '../kernel/errors.ts';
import type { ApiDefinition, ApiRoute } from './api-definition.ts';
import { type GatewayRequest, RequestValidator } from './request-validation.ts';

const orderSchema = {
  type: 'object',
  properties: {
    sku: { type: 'string', pattern: '^[A-Z]{3}-\\d+$' },
    quantity: { type: 'integer', minimum: 1 },
    email: { type: 'string', format: 'email' },
  },
  required: ['sku', 'quantity'],
  additionalProperties: false,
};

/** A tree of any depth: ajv walks it recursively, which the depth guard must keep bounded. */
const treeSchema = {
  type: 'object',
  properties: { children: { type: 'array', items: { $ref: '#' } } },
};

function api(routes?: ApiRoute[]): ApiDefinition {
  return {
    name: 'shop',
    version: '1',
    upstreams: [{ url: 'https://upstream.example' }],
    timeoutMs: 1000,
    authModes: ['token'],
    requiredScopes: [],
    ...(routes ? { routes } : {}),
  };
}

const shopRoutes: ApiRoute[] = [
  { method: 'GET', path: '/orders' },
  { method: 'POST', path: '/orders', requestSchema: orderSchema },
  { method: 'GET', path: '/orders/{orderId}' },
  { method: 'DELETE', path: '/orders/{orderId}' },
  { method: 'PUT', path: '/orders/{orderId}', requestSchema: { type: 'string' } },
  { method: 'POST', path: '/trees', requestSchema: treeSchema },
  { method: 'ANY', path: '/files/{key+}' },
];

/** A request to the API; a body that is neither a Buffer nor a string is sent as its JSON. */
function request(overrides: Partial<Omit<GatewayRequest, 'body'>> & { body?: unknown }): GatewayRequest {
  const { body, ...rest } = overrides;
  const bytes =
    body === undefined
      ? Buffer.alloc(0)
      : Buffer.isBuffer(body)
        ? body
        : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return {
    method: 'GET',
    path: '/',
    rawQueryString: '',
    headers: {},
    ...rest,
    body: bytes,
  };
}

const json = { 'content-type': 'application/json' };

function problemOf(run: () => unknown): ProblemError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return toProblem(error);
  }
  throw new Error('expected a DomainError');
}

const nested = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);

describe('RequestValidator: size limits', () => {
  const open = new RequestValidator(api());

  it('accepts a body of exactly the limit and refuses one byte more with 413', () => {
    const validator = new RequestValidator(api(), { maxBodyBytes: 10 });
    expect(validator.check(request({ body: Buffer.alloc(10) }))).toEqual({ params: {} });
    const problem = problemOf(() => validator.check(request({ body: Buffer.alloc(11) })));
    expect(problem.code).toBe('payload-too-large');
    expect(problem.status).toBe(413);
    expect(problem.detail).toContain('10 bytes');
  });

  it('defaults the body limit to 1 MiB', () => {
    expect(() => open.check(request({ body: Buffer.alloc(1024 * 1024) }))).not.toThrow();
    const problem = problemOf(() => open.check(request({ body: Buffer.alloc(1024 * 1024 + 1) })));
    expect(problem.code).toBe('payload-too-large');
    expect(problem.detail).toContain(String(1024 * 1024));
  });

  it('checks the body size before routing and parsing', () => {
    const validator = new RequestValidator(api(shopRoutes), { maxBodyBytes: 4 });
    for (const path of ['/nowhere', '/orders']) {
      const problem = problemOf(() =>
        validator.check(request({ method: 'POST', path, headers: json, body: '{ not json' })),
      );
      expect(problem.code).toBe('payload-too-large');
    }
  });

  it('accepts 100 headers and refuses 101 with 400', () => {
    const headers = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`x-h${i}`, 'v']));
    expect(() => open.check(request({ headers: headers(100) }))).not.toThrow();
    const problem = problemOf(() => open.check(request({ headers: headers(101) })));
    expect(problem.code).toBe('bad-request');
    expect(problem.detail).toContain('100 headers');
  });

  it('does not count headers whose value is undefined', () => {
    const headers = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`x-h${i}`, undefined]));
    expect(() => open.check(request({ headers }))).not.toThrow();
  });

  it('refuses more than 16 KiB of headers, counted as on the wire', () => {
    // name (1) + ': ' + value + CRLF
    const exactly = { a: 'v'.repeat(16 * 1024 - 5) };
    expect(() => open.check(request({ headers: exactly }))).not.toThrow();
    const problem = problemOf(() => open.check(request({ headers: { a: 'v'.repeat(16 * 1024 - 4) } })));
    expect(problem.code).toBe('bad-request');
    expect(problem.detail).toContain(String(16 * 1024));
  });

  it('counts header bytes, not characters', () => {
    const validator = new RequestValidator(api(), { maxHeaderBytes: 20 });
    expect(() => validator.check(request({ headers: { a: 'é'.repeat(7) } }))).not.toThrow();
    expect(problemOf(() => validator.check(request({ headers: { a: 'é'.repeat(8) } }))).code).toBe(
      'bad-request',
    );
  });

  it('refuses a path longer than 2048 characters with 400', () => {
    expect(() => open.check(request({ path: `/${'a'.repeat(2047)}` }))).not.toThrow();
    const problem = problemOf(() => open.check(request({ path: `/${'a'.repeat(2048)}` })));
    expect(problem.code).toBe('bad-request');
    expect(problem.detail).toContain('2048');
  });

  it('refuses a query string longer than 4096 characters with 400', () => {
    expect(() => open.check(request({ rawQueryString: 'q'.repeat(4096) }))).not.toThrow();
    const problem = problemOf(() => open.check(request({ rawQueryString: 'q'.repeat(4097) })));
    expect(problem.code).toBe('bad-request');
    expect(problem.detail).toContain('4096');
  });

  it('takes custom limits', () => {
    const validator = new RequestValidator(api(), {
      maxHeaderCount: 1,
      maxPathLength: 3,
      maxQueryLength: 2,
    });
    expect(problemOf(() => validator.check(request({ headers: { a: '1', b: '2' } }))).code).toBe(
      'bad-request',
    );
    expect(problemOf(() => validator.check(request({ path: '/abc' }))).code).toBe('bad-request');
    expect(problemOf(() => validator.check(request({ rawQueryString: 'a=1' }))).code).toBe('bad-request');
  });
});

describe('RequestValidator: routing', () => {
  const validator = new RequestValidator(api(shopRoutes));

  it('lets everything through when the API declares no routes', () => {
    for (const routes of [undefined, []]) {
      const open = new RequestValidator(api(routes));
      expect(open.check(request({ method: 'BREW', path: '/any/%zz/thing', body: 'text' }))).toEqual({
        params: {},
      });
      expect(open.compiledSchemas).toBe(0);
    }
  });

  it('returns the matched route and its decoded parameters', () => {
    const result = validator.check(request({ path: '/orders/A%2FB%20C' }));
    expect(result.route).toBe(shopRoutes[2]);
    expect(result.params).toEqual({ orderId: 'A/B C' });
    expect(validator.check(request({ method: 'PATCH', path: '/files/a/b%20c.txt' }))).toEqual({
      route: shopRoutes[6],
      params: { key: 'a/b c.txt' },
    });
  });

  it('answers 404 when no route has the path', () => {
    for (const path of ['/', '/order', '/orders/1/lines', '/files', '/orders/%zz']) {
      const problem = problemOf(() => validator.check(request({ path })));
      expect(problem.code).toBe('not-found');
      expect(problem.status).toBe(404);
      expect(problem.detail).toContain('on this API');
    }
  });

  it('answers 405 with an Allow header when the path exists but not for this method', () => {
    const problem = problemOf(() => validator.check(request({ method: 'PATCH', path: '/orders/7' })));
    expect(problem.code).toBe('method-not-allowed');
    expect(problem.status).toBe(405);
    expect(problem.headers).toEqual({ allow: 'GET, PUT, DELETE' });
    expect(problemOf(() => validator.check(request({ method: 'DELETE', path: '/orders' }))).headers).toEqual({
      allow: 'GET, POST',
    });
  });

  it('matches methods exactly, as HTTP does', () => {
    expect(problemOf(() => validator.check(request({ method: 'get', path: '/orders' }))).code).toBe(
      'method-not-allowed',
    );
  });
});

describe('RequestValidator: JSON bodies', () => {
  const validator = new RequestValidator(api(shopRoutes));
  const order = { sku: 'ABC-1', quantity: 2 };
  const post = (body: unknown, headers: Record<string, string | undefined> = json) =>
    validator.check(request({ method: 'POST', path: '/orders', headers, body }));

  it('accepts a body that satisfies the schema', () => {
    expect(post(order)).toEqual({ route: shopRoutes[1], params: {} });
    expect(post({ ...order, email: 'buyer@example.com' }).route).toBe(shopRoutes[1]);
  });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON ; charset="UTF-8"',
    'application/merge-patch+json',
    'application/vnd.shop.order.v1+json; profile=x',
  ])('accepts the content type %s', (type) => {
    expect(() => post(order, { 'Content-Type': type })).not.toThrow();
  });

  it.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/jsonx',
    'application/json-seq',
    'application/+json',
    'text/json',
    '',
  ])('refuses the content type %j with 415', (type) => {
    const problem = problemOf(() => post(order, { 'content-type': type }));
    expect(problem.code).toBe('unsupported-media-type');
    expect(problem.status).toBe(415);
    expect(problem.headers).toEqual({ accept: 'application/json' });
  });

  it('refuses a body without a content type with 415', () => {
    expect(problemOf(() => post(order, {})).code).toBe('unsupported-media-type');
    expect(problemOf(() => post(order, { 'content-type': undefined })).code).toBe('unsupported-media-type');
  });

  it('requires a body when the route has a schema', () => {
    for (const headers of [json, {}]) {
      const problem = problemOf(() => post(undefined, headers));
      expect(problem.code).toBe('validation-failed');
      expect(problem.extensions).toEqual({ errors: [{ pointer: '/', message: 'a JSON body is required' }] });
      expect(problem.detail).toBe('/ a JSON body is required');
    }
  });

  it.each(['{', '{"sku": "ABC-1",}', 'undefined', '   ', "{'sku': 1}"])(
    'refuses the unparsable body %j with malformed-body',
    (body) => {
      const problem = problemOf(() => post(body));
      expect(problem.code).toBe('malformed-body');
      expect(problem.status).toBe(400);
    },
  );

  it('refuses a body that is not valid UTF-8', () => {
    const body = Buffer.concat([
      Buffer.from('{"sku":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('","quantity":1}'),
    ]);
    const problem = problemOf(() => post(body));
    expect(problem.code).toBe('malformed-body');
    expect(problem.detail).toContain('UTF-8');
  });

  it('reports every violation, with pointers, in the errors and the detail', () => {
    const problem = problemOf(() => post({ sku: 'nope', quantity: '2', email: 'x', extra: true }));
    expect(problem.code).toBe('validation-failed');
    const errors = problem.extensions.errors as { pointer: string; message: string }[];
    expect(errors.map((e) => e.pointer).sort()).toEqual(['/email', '/extra', '/quantity', '/sku']);
    expect(errors).toContainEqual({ pointer: '/extra', message: 'is not allowed' });
    expect(problem.detail).toBe(errors.map((e) => `${e.pointer} ${e.message}`).join('; '));
    const missing = problemOf(() => post({}));
    expect(missing.extensions.errors).toEqual([
      { pointer: '/sku', message: 'is required' },
      { pointer: '/quantity', message: 'is required' },
    ]);
  });

  it('does not coerce types', () => {
    expect(problemOf(() => post({ sku: 'ABC-1', quantity: '2' })).extensions.errors).toEqual([
      { pointer: '/quantity', message: 'must be integer' },
    ]);
  });

  it('validates non-object bodies against their schema', () => {
    const put = (body: string) =>
      validator.check(request({ method: 'PUT', path: '/orders/1', headers: json, body }));
    expect(put('"a string"').params).toEqual({ orderId: '1' });
    expect(problemOf(() => put('null')).extensions.errors).toEqual([
      { pointer: '/', message: 'must be string' },
    ]);
  });

  it('reports at most 50 violations and says how many more there were', () => {
    const wide = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`extra${i}`, i]));
    const problem = problemOf(() => post({ ...order, ...wide }));
    expect(problem.extensions.errors).toHaveLength(50);
    expect(problem.detail).toMatch(/; and 30 more$/);
  });

  it('does not look at the body of a route without a schema', () => {
    expect(() =>
      validator.check(
        request({ method: 'GET', path: '/orders', headers: { 'content-type': 'text/plain' }, body: '{' }),
      ),
    ).not.toThrow();
  });
});

describe('RequestValidator: hostile JSON', () => {
  const validator = new RequestValidator(api(shopRoutes));
  const postTree = (body: string | Buffer) =>
    validator.check(request({ method: 'POST', path: '/trees', headers: json, body }));

  it('never lets __proto__ reach a prototype', () => {
    const open = new RequestValidator(
      api([{ method: 'POST', path: '/x', requestSchema: { type: 'object' } }]),
    );
    const body = '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}';
    expect(() => open.check(request({ method: 'POST', path: '/x', headers: json, body }))).not.toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('sees __proto__ as the ordinary property it is', () => {
    const problem = problemOf(() =>
      validator.check(
        request({
          method: 'POST',
          path: '/orders',
          headers: json,
          body: '{"sku":"ABC-1","quantity":1,"__proto__":{"isAdmin":true}}',
        }),
      ),
    );
    expect(problem.extensions.errors).toEqual([{ pointer: '/__proto__', message: 'is not allowed' }]);
  });

  it.each([
    ['arrays', nested(10_000)],
    ['objects', `${'{"children":['.repeat(10_000)}${']}'.repeat(10_000)}`],
    ['unterminated arrays', '['.repeat(100_000)],
    ['stray closers before deep nesting', `${']'.repeat(1000)}${nested(1000)}`],
  ])('refuses deeply nested %s with malformed-body, not a stack overflow', (_, body) => {
    const problem = problemOf(() => postTree(body));
    expect(problem.code).toBe('malformed-body');
    expect(problem.detail).toContain('64');
  });

  it('accepts nesting up to the limit and validates it all the way down', () => {
    const tree = (depth: number): string =>
      depth === 1 ? '{"children":[]}' : `{"children":[${tree(depth - 1)}]}`;
    // every level of the tree is an object and an array: 32 levels are 64 brackets deep
    expect(() => postTree(tree(32))).not.toThrow();
    expect(problemOf(() => postTree(tree(33))).code).toBe('malformed-body');
    const badLeaf = tree(31).replace('{"children":[]}', '{"children":[1]}');
    expect(problemOf(() => postTree(badLeaf)).extensions.errors).toEqual([
      { pointer: `${'/children/0'.repeat(30)}/children/0`, message: 'must be object' },
    ]);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const validator = new RequestValidator(
      api([{ method: 'POST', path: '/s', requestSchema: { type: 'array' } }]),
    );
    const body = JSON.stringify([`\\"${'['.repeat(1000)}`, `"{{{{${'{'.repeat(1000)}`]);
    expect(() => validator.check(request({ method: 'POST', path: '/s', headers: json, body }))).not.toThrow();
  });

  it('takes a custom depth limit', () => {
    const shallow = new RequestValidator(api([{ method: 'POST', path: '/a', requestSchema: {} }]), {
      maxJsonDepth: 2,
    });
    const send = (body: string) =>
      shallow.check(request({ method: 'POST', path: '/a', headers: json, body }));
    expect(() => send('[[1]]')).not.toThrow();
    expect(problemOf(() => send('[[[1]]]')).code).toBe('malformed-body');
  });
});

describe('RequestValidator: schema compilation', () => {
  afterEach(() => vi.restoreAllMocks());

  it('compiles every request schema once, at construction', () => {
    const compile = vi.spyOn(Ajv.prototype, 'compile');
    const validator = new RequestValidator(api(shopRoutes));
    expect(validator.compiledSchemas).toBe(3);
    expect(compile).toHaveBeenCalledTimes(3);
    for (let i = 0; i < 200; i++) {
      validator.check(
        request({ method: 'POST', path: '/orders', headers: json, body: { sku: 'ABC-1', quantity: i + 1 } }),
      );
      problemOf(() => validator.check(request({ method: 'POST', path: '/orders', headers: json, body: {} })));
    }
    expect(compile).toHaveBeenCalledTimes(3);
    expect(validator.compiledSchemas).toBe(3);
  });

  it('keeps schemas that share an $id apart, across APIs and within one', () => {
    const stringy = { $id: 'https://schemas.example/body', type: 'string' };
    const numeric = { $id: 'https://schemas.example/body', type: 'number' };
    const first = new RequestValidator(api([{ method: 'POST', path: '/a', requestSchema: stringy }]));
    const second = new RequestValidator(api([{ method: 'POST', path: '/a', requestSchema: numeric }]));
    const both = new RequestValidator(
      api([
        { method: 'POST', path: '/s', requestSchema: stringy },
        { method: 'POST', path: '/n', requestSchema: numeric },
      ]),
    );
    const send = (v: RequestValidator, path: string, body: string) =>
      v.check(request({ method: 'POST', path, headers: json, body }));
    expect(() => send(first, '/a', '"x"')).not.toThrow();
    expect(problemOf(() => send(first, '/a', '1')).code).toBe('validation-failed');
    expect(() => send(second, '/a', '1')).not.toThrow();
    expect(problemOf(() => send(second, '/a', '"x"')).code).toBe('validation-failed');
    expect(() => send(both, '/s', '"x"')).not.toThrow();
    expect(() => send(both, '/n', '1')).not.toThrow();
    expect(problemOf(() => send(both, '/n', '"x"')).code).toBe('validation-failed');
  });

  it('keeps nested $ids of different routes apart', () => {
    const withItem = (type: string) => ({
      type: 'object',
      properties: { item: { $ref: 'item' } },
      definitions: { item: { $id: 'item', type } },
    });
    const validator = new RequestValidator(
      api([
        { method: 'POST', path: '/s', requestSchema: withItem('string') },
        { method: 'POST', path: '/n', requestSchema: withItem('number') },
      ]),
    );
    const send = (path: string, body: unknown) =>
      validator.check(request({ method: 'POST', path, headers: json, body }));
    expect(() => send('/s', { item: 'x' })).not.toThrow();
    expect(() => send('/n', { item: 1 })).not.toThrow();
    expect(problemOf(() => send('/n', { item: 'x' })).code).toBe('validation-failed');
  });

  it('refuses, at construction, a schema that does not compile, naming the route', () => {
    expect(
      () =>
        new RequestValidator(api([{ method: 'POST', path: '/broken', requestSchema: { type: 'nonsense' } }])),
    ).toThrow(/route 0 \(POST \/broken\)/);
  });
});

describe('RequestValidator: any input', () => {
  const routes: ApiRoute[] = [
    ...shopRoutes,
    { method: 'PATCH', path: '/orders/{orderId}', requestSchema: { type: 'object', minProperties: 1 } },
    {
      method: 'POST',
      path: '/strict',
      requestSchema: { type: 'array', items: { type: 'integer' }, maxItems: 3 },
    },
  ];
  const validator = new RequestValidator(api(routes), { maxBodyBytes: 4096 });
  const allowed = new Set([400, 404, 405, 413, 415]);

  const segment = fc.oneof(
    fc.constantFrom(
      'orders',
      'trees',
      'files',
      'strict',
      '7',
      '%',
      '%zz',
      '%E0%A4%A',
      '%2F',
      '%00',
      '{orderId}',
      '',
    ),
    fc.string({ maxLength: 8 }),
  );
  const path = fc.oneof(
    fc.constantFrom('/orders', '/orders/1', '/trees', '/strict', '/files/a/b'),
    fc.array(segment, { maxLength: 5 }).map((parts) => `/${parts.join('/')}`),
    fc.string({ maxLength: 30 }),
    fc.integer({ min: 2040, max: 2060 }).map((length) => `/${'%'.repeat(length)}`),
  );
  const method = fc.oneof(
    fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'post'),
    fc.string({ maxLength: 10 }),
  );
  /** Most runs aim at a route with a schema, so the body checks are reached as often as routing. */
  const endpoint = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        ['POST', '/orders'],
        ['PUT', '/orders/1'],
        ['PATCH', '/orders/%zz'],
        ['POST', '/trees'],
        ['POST', '/strict'],
      ),
    },
    { weight: 2, arbitrary: fc.tuple(method, path) },
  );
  const query = fc.oneof(
    { weight: 9, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.integer({ min: 4090, max: 4100 }).map((length) => 'q'.repeat(length)) },
  );
  const contentType = fc.oneof(
    fc.constantFrom(
      'application/json',
      'application/merge-patch+json; charset=utf-8',
      'APPLICATION/JSON;;;',
      'text/plain',
      ';',
      '',
    ),
    fc.string({ maxLength: 40 }),
  );
  const headers = fc
    .tuple(
      fc.oneof(
        {
          weight: 9,
          arbitrary: fc.dictionary(fc.string({ maxLength: 20 }), fc.option(fc.string({ maxLength: 200 }))),
        },
        {
          weight: 1,
          arbitrary: fc
            .array(fc.string({ maxLength: 3000 }), { minLength: 1, maxLength: 120 })
            .map((values) => Object.fromEntries(values.map((value, i) => [`x-${i}`, value]))),
        },
      ),
      fc.option(contentType, { nil: undefined, freq: 5 }),
    )
    .map(([rest, type]): Record<string, string | undefined> => {
      const all = Object.fromEntries(Object.entries(rest).map(([name, value]) => [name, value ?? undefined]));
      return type === undefined ? all : { ...all, 'content-type': type };
    });
  const body = fc.oneof(
    fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
    fc.json({ maxDepth: 6 }).map((text) => Buffer.from(text)),
    fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value) ?? '')),
    fc.string({ unit: 'binary', maxLength: 200 }).map((text) => Buffer.from(text)),
    fc.integer({ min: 1, max: 2000 }).map((depth) => Buffer.from(nested(depth, '{"children":[', ']}'))),
    fc.integer({ min: 4000, max: 4200 }).map((size) => Buffer.alloc(size, '[')),
    fc
      .constantFrom('{"sku":"ABC-1","quantity":1}', '[1,2]', '{"__proto__":{"x":1}}', '"s"', '{}', '')
      .map((text) => Buffer.from(text)),
  );

  it('either passes the request or throws a DomainError answered with a 4xx the stage may answer', () => {
    const outcomes = new Set<string>();
    fc.assert(
      fc.property(endpoint, query, headers, body, ([method, path], rawQueryString, headers, body) => {
        try {
          const result = validator.check({ method, path, rawQueryString, headers, body });
          if (result.route) expect(routes).toContain(result.route);
          outcomes.add('passed');
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          expect(allowed).toContain(toProblem(error).status);
          outcomes.add((error as DomainError).code);
        }
      }),
      { numRuns: 2000 },
    );
    // the inputs reached every outcome, so the property is not true for want of trying
    expect([...outcomes].sort()).toEqual([
      'bad-request',
      'malformed-body',
      'method-not-allowed',
      'not-found',
      'passed',
      'payload-too-large',
      'unsupported-media-type',
      'validation-failed',
    ]);
  });
});
