import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiDefinition, ApiRoute, MockRule } from '../api-definition.ts';
import { type MockAnswer, MockResponder } from './mock-responder.ts';
import { loadSampler } from './schema-sample.ts';

beforeAll(loadSampler);

const api = (mock: MockRule[] = [], routes: ApiRoute[] = []): ApiDefinition => ({
  name: 'orders',
  version: '1',
  upstreams: [{ url: 'https://orders.example.com' }],
  timeoutMs: 3000,
  authModes: ['token'],
  requiredScopes: [],
  mock: { enabled: true, rules: mock },
  routes,
});

const rule = (
  method: MockRule['method'],
  path: string,
  body: unknown,
  extra: Partial<MockRule> = {},
): MockRule => ({
  method,
  path,
  status: 200,
  body,
  ...extra,
});

const json = (answer: MockAnswer | undefined): unknown => JSON.parse(answer!.body.toString('utf8'));

const orderSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    total: { type: 'number', minimum: 0 },
    placedAt: { type: 'string', format: 'date-time' },
    lines: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          sku: { type: 'string', pattern: '^[A-Z]{3}-\\d{4}$' },
          quantity: { type: 'integer', minimum: 1 },
        },
        required: ['sku', 'quantity'],
        additionalProperties: false,
      },
    },
  },
  required: ['id', 'total', 'lines'],
};

/** A small linear congruential generator: a seeded stand-in for Math.random. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('MockResponder: rules', () => {
  it('answers a rule as written, with a JSON body and content type', () => {
    const mock = new MockResponder(api([rule('GET', '/orders', [{ id: 'o-1' }], { status: 201 })]));
    const answer = mock.answer('GET', '/orders');
    expect(answer?.status).toBe(201);
    expect(answer?.headers).toEqual({ 'content-type': 'application/json', 'x-portico-mock': 'true' });
    expect(json(answer)).toEqual([{ id: 'o-1' }]);
  });

  it('prefers a literal segment to a parameter, whatever the order of the rules', () => {
    const rules = [rule('GET', '/orders/{id}', 'by id'), rule('GET', '/orders/latest', 'latest')];
    for (const order of [rules, [...rules].reverse()]) {
      const mock = new MockResponder(api(order));
      expect(mock.answer('GET', '/orders/latest')?.body.toString()).toBe('latest');
      expect(mock.answer('GET', '/orders/42')?.body.toString()).toBe('by id');
    }
  });

  it('prefers an exact method to ANY, and a parameter to a greedy one', () => {
    const mock = new MockResponder(
      api([
        rule('ANY', '/orders/{id}', 'any'),
        rule('DELETE', '/orders/{id}', 'delete'),
        rule('GET', '/{rest+}', 'fallback'),
      ]),
    );
    expect(mock.answer('DELETE', '/orders/42')?.body.toString()).toBe('delete');
    expect(mock.answer('PUT', '/orders/42')?.body.toString()).toBe('any');
    expect(mock.answer('GET', '/orders/42')?.body.toString()).toBe('any');
    expect(mock.answer('GET', '/customers/7/orders')?.body.toString()).toBe('fallback');
  });

  it('sends a string body as it is and serialises anything else as JSON', () => {
    const mock = new MockResponder(
      api([
        rule('GET', '/text', '{"already":"json"}'),
        rule('GET', '/number', 42),
        rule('GET', '/null', null),
        rule('GET', '/quoted', '"quoted"'),
        rule('GET', '/unicode', { city: 'Zürich' }),
      ]),
    );
    expect(mock.answer('GET', '/text')?.body.toString()).toBe('{"already":"json"}');
    expect(mock.answer('GET', '/number')?.body.toString()).toBe('42');
    expect(mock.answer('GET', '/null')?.body.toString()).toBe('null');
    expect(mock.answer('GET', '/quoted')?.body.toString()).toBe('"quoted"');
    expect(mock.answer('GET', '/unicode')?.body).toEqual(Buffer.from('{"city":"Zürich"}', 'utf8'));
  });

  it('keeps the rule’s headers, lower-cased, its content type included', () => {
    const mock = new MockResponder(
      api([
        rule('GET', '/report', 'a,b\n1,2\n', {
          headers: { 'Content-Type': 'text/csv', 'X-Request-Cost': '3', 'x-portico-mock': 'no' },
        }),
      ]),
    );
    expect(mock.answer('GET', '/report')?.headers).toEqual({
      'content-type': 'text/csv',
      'x-request-cost': '3',
      'x-portico-mock': 'true',
    });
  });

  it('sends neither body nor content type for a rule without a body', () => {
    const mock = new MockResponder(api([{ method: 'DELETE', path: '/orders/{id}', status: 204 }]));
    const answer = mock.answer('DELETE', '/orders/42');
    expect(answer?.status).toBe(204);
    expect(answer?.body.length).toBe(0);
    expect(answer?.headers).toEqual({ 'x-portico-mock': 'true' });
  });

  it('matches the root and percent-encoded paths like the gateway does', () => {
    const mock = new MockResponder(api([rule('GET', '/', 'root'), rule('GET', '/files/{key+}', 'file')]));
    expect(mock.answer('GET', '')?.body.toString()).toBe('root');
    expect(mock.answer('GET', '/')?.body.toString()).toBe('root');
    expect(mock.answer('GET', '/files/a%2Fb/c.txt')?.body.toString()).toBe('file');
  });

  it('answers rules before routes', () => {
    const mock = new MockResponder(
      api(
        [rule('GET', '/orders/{id}', { id: 'fixed' })],
        [{ method: 'GET', path: '/orders/{id}', responseSchema: orderSchema }],
      ),
    );
    expect(json(mock.answer('GET', '/orders/42'))).toEqual({ id: 'fixed' });
  });
});

describe('MockResponder: route schemas', () => {
  const validate = (() => {
    const ajv = new Ajv({ strict: false });
    addFormats.default(ajv);
    return ajv.compile(orderSchema);
  })();

  it('answers 200 with a sample that validates against the route’s responseSchema', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const mock = new MockResponder(
          api([], [{ method: 'GET', path: '/orders/{id}', responseSchema: orderSchema }]),
          lcg(seed),
        );
        const answer = mock.answer('GET', '/orders/42');
        expect(answer?.status).toBe(200);
        expect(answer?.headers).toEqual({ 'content-type': 'application/json', 'x-portico-mock': 'true' });
        expect(validate(json(answer))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('gives the same answer for the same seeded random', () => {
    const definition = api([], [{ method: 'GET', path: '/orders/{id}', responseSchema: orderSchema }]);
    const once = new MockResponder(definition, lcg(7)).answer('GET', '/orders/1');
    const twice = new MockResponder(definition, lcg(7)).answer('GET', '/orders/1');
    expect(once).toEqual(twice);
  });

  it('takes the schema of the route the gateway would pick, not of a less specific one', () => {
    const mock = new MockResponder(
      api(
        [],
        [
          { method: 'GET', path: '/orders/{id}', responseSchema: orderSchema },
          { method: 'GET', path: '/orders/export' },
        ],
      ),
    );
    expect(mock.answer('GET', '/orders/export')).toBeUndefined();
    expect(mock.answer('GET', '/orders/42')?.status).toBe(200);
  });

  it('answers nothing for a route without a schema, or one no sample satisfies', () => {
    const mock = new MockResponder(
      api(
        [],
        [
          { method: 'GET', path: '/plain' },
          {
            method: 'GET',
            path: '/impossible',
            responseSchema: { type: 'string', minLength: 3, maxLength: 1 },
          },
        ],
      ),
    );
    expect(mock.answer('GET', '/plain')).toBeUndefined();
    expect(mock.answer('GET', '/impossible')).toBeUndefined();
  });
});

describe('MockResponder: HEAD and misses', () => {
  it('answers HEAD as GET, with the same headers and an empty body', () => {
    const mock = new MockResponder(
      api(
        [rule('GET', '/orders', [{ id: 'o-1' }], { headers: { 'X-Total-Count': '1' } })],
        [{ method: 'GET', path: '/orders/{id}', responseSchema: orderSchema }],
      ),
    );
    for (const path of ['/orders', '/orders/42']) {
      const get = mock.answer('GET', path)!;
      const head = mock.answer('HEAD', path)!;
      expect(head.status).toBe(get.status);
      expect(head.headers).toEqual(get.headers);
      expect(get.body.length).toBeGreaterThan(0);
      expect(head.body.length).toBe(0);
    }
  });

  it('answers HEAD from a HEAD rule first, then GET, then ANY', () => {
    const both = new MockResponder(
      api([
        rule('ANY', '/x', 'any'),
        rule('GET', '/x', 'get', { status: 200 }),
        rule('HEAD', '/x', '', { status: 299 }),
      ]),
    );
    expect(both.answer('HEAD', '/x')?.status).toBe(299);
    const getAndAny = new MockResponder(
      api([rule('ANY', '/x', 'any', { status: 202 }), rule('GET', '/x', 'get')]),
    );
    expect(getAndAny.answer('HEAD', '/x')?.status).toBe(200);
    const anyOnly = new MockResponder(api([rule('ANY', '/x', 'any', { status: 202 })]));
    expect(anyOnly.answer('HEAD', '/x')?.status).toBe(202);
    const postOnly = new MockResponder(api([rule('POST', '/x', 'post')]));
    expect(postOnly.answer('HEAD', '/x')).toBeUndefined();
  });

  it('answers nothing when no rule or route matches', () => {
    const mock = new MockResponder(
      api(
        [rule('GET', '/orders', [])],
        [{ method: 'GET', path: '/orders/{id}', responseSchema: orderSchema }],
      ),
    );
    expect(mock.answer('POST', '/orders')).toBeUndefined();
    expect(mock.answer('GET', '/customers')).toBeUndefined();
    expect(mock.answer('GET', '/orders/42/lines')).toBeUndefined();
    expect(
      new MockResponder({ ...api(), mock: undefined, routes: undefined }).answer('GET', '/'),
    ).toBeUndefined();
  });

  it('marks every answer it gives as a mock', () => {
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
    const mock = new MockResponder(
      api(
        [rule('ANY', '/a/{id}', { ok: true }), rule('POST', '/b', 'b')],
        [{ method: 'ANY', path: '/c', responseSchema: { type: 'integer' } }],
      ),
    );
    fc.assert(
      fc.property(fc.constantFrom(...methods), fc.constantFrom('/a/1', '/b', '/c', '/d'), (method, path) => {
        const answer = mock.answer(method, path);
        if (answer) expect(answer.headers['x-portico-mock']).toBe('true');
      }),
    );
  });
});
