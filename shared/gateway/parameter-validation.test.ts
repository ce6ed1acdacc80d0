import { describe, expect, it } from 'vitest';
import { DomainError } from '../kernel/errors.ts';
import type { ApiDefinition, ApiRoute } from './api-definition.ts';
import { validateApiDefinition } from './api-definition.ts';
import { type GatewayRequest, RequestValidator } from './request-validation.ts';

const routes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/pets',
    parameters: [
      { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100 } },
      { name: 'tag', in: 'query', schema: { type: 'array', items: { type: 'string', maxLength: 3 } } },
      { name: 'X-Trace', in: 'header', required: true, schema: { type: 'string', pattern: '^t-' } },
    ],
  },
  {
    method: 'GET',
    path: '/pets/{petId}',
    parameters: [{ name: 'petId', in: 'path', schema: { type: 'integer', minimum: 1 } }],
  },
  {
    method: 'POST',
    path: '/notes',
    requestSchema: { type: 'object', required: ['text'] },
    requestBodyRequired: false,
  },
];

const api: ApiDefinition = {
  name: 'pets',
  version: '1',
  upstreams: [{ url: 'https://upstream.example' }],
  timeoutMs: 1000,
  authModes: ['token'],
  requiredScopes: [],
  routes,
};

const request = (overrides: Partial<GatewayRequest>): GatewayRequest => ({
  method: 'GET',
  path: '/pets',
  rawQueryString: '',
  headers: { 'x-trace': 't-1' },
  body: Buffer.alloc(0),
  ...overrides,
});

function errorsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('validation-failed');
    return (error as DomainError).details.errors;
  }
  throw new Error('accepted');
}

describe('RequestValidator: parameters', () => {
  const validator = new RequestValidator(api);

  it('coerces query strings to the schema type and checks them', () => {
    expect(() => validator.check(request({ rawQueryString: 'limit=10' }))).not.toThrow();
    expect(errorsOf(() => validator.check(request({ rawQueryString: 'limit=abc' })))).toEqual([
      { pointer: '/query/limit', message: 'must be integer' },
    ]);
    expect(errorsOf(() => validator.check(request({ rawQueryString: 'limit=1000' })))).toEqual([
      { pointer: '/query/limit', message: 'must be <= 100' },
    ]);
  });

  it('takes a repeated query parameter as an array, and refuses it for a scalar', () => {
    expect(() => validator.check(request({ rawQueryString: 'tag=a&tag=b' }))).not.toThrow();
    expect(() => validator.check(request({ rawQueryString: 'tag=a' }))).not.toThrow();
    expect(errorsOf(() => validator.check(request({ rawQueryString: 'tag=a&tag=long' })))).toEqual([
      { pointer: '/query/tag/1', message: 'must NOT have more than 3 characters' },
    ]);
    expect(errorsOf(() => validator.check(request({ rawQueryString: 'limit=1&limit=2' })))).toEqual([
      { pointer: '/query/limit', message: 'must be integer' },
    ]);
  });

  it('checks headers whatever their case, and requires required ones', () => {
    expect(() => validator.check(request({ headers: { 'X-TRACE': 't-2' } }))).not.toThrow();
    expect(errorsOf(() => validator.check(request({ headers: {} })))).toEqual([
      { pointer: '/header/x-trace', message: 'is required' },
    ]);
    expect(errorsOf(() => validator.check(request({ headers: { 'x-trace': 'no' } })))).toEqual([
      { pointer: '/header/x-trace', message: 'must match pattern "^t-"' },
    ]);
  });

  it('checks decoded path parameters', () => {
    expect(validator.check(request({ path: '/pets/7' })).params).toEqual({ petId: '7' });
    expect(errorsOf(() => validator.check(request({ path: '/pets/0' })))).toEqual([
      { pointer: '/path/petId', message: 'must be >= 1' },
    ]);
  });

  it('lets an optional body be absent, but checks it when sent', () => {
    const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      validator.check(request({ method: 'POST', path: '/notes', headers, body: Buffer.from(body) }));
    expect(() => post('', {})).not.toThrow();
    expect(errorsOf(() => post('{}'))).toEqual([{ pointer: '/text', message: 'is required' }]);
  });

  it('never lets a hostile query name reach a prototype', () => {
    validator.check(request({ rawQueryString: '__proto__=1&constructor=2' }));
    expect(Object.prototype).not.toHaveProperty('limit');
  });
});

describe('validateApiDefinition: route parameters', () => {
  const base = { name: 'pets', upstreams: [{ url: 'https://upstream.example' }], timeoutMs: 1000 };

  it('accepts the parameters the gateway can check', () => {
    expect(validateApiDefinition({ ...base, routes }).routes).toEqual(routes);
  });

  it('refuses a path parameter not in the template, a duplicate, a bad header name and a broken schema', () => {
    const errors = errorsOf(() =>
      validateApiDefinition({
        ...base,
        routes: [
          {
            method: 'GET',
            path: '/pets/{petId}',
            parameters: [
              { name: 'id', in: 'path' },
              { name: 'A', in: 'header' },
              { name: 'a', in: 'header' },
              { name: 'bad header', in: 'header' },
              { name: 'q', in: 'query', schema: { type: 'nonsense' } },
            ],
          },
        ],
      }),
    );
    expect(errors).toEqual([
      { pointer: '/routes/0/parameters/0/name', message: 'names no segment of /pets/{petId}' },
      { pointer: '/routes/0/parameters/2', message: 'is declared twice' },
      { pointer: '/routes/0/parameters/3/name', message: 'is not a header name' },
      expect.objectContaining({ pointer: '/routes/0/parameters/4/schema' }),
    ]);
  });
});
