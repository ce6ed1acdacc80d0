import { describe, expect, it } from 'vitest';
import { compileExpectation, type Expectation, expectationViolations, type Observed } from './expectation.ts';

const answer = (body: unknown, over: Partial<Observed> = {}): Observed => ({
  status: 200,
  body,
  bodyIsJson: true,
  latencyMs: 40,
  ...over,
});

const order = {
  id: 'o-42',
  status: 'paid',
  items: [
    { sku: 'ABC-1', quantity: 2 },
    { sku: 'XYZ-9', quantity: 1 },
  ],
};

const expectation: Expectation = {
  status: 200,
  bodySchema: {
    type: 'object',
    required: ['id', 'items'],
    properties: { id: { type: 'string', pattern: '^o-' }, items: { type: 'array', minItems: 1 } },
  },
  jsonPath: [
    { path: '$.status', equals: 'paid' },
    { path: '$.items[*].sku', equals: ['ABC-1', 'XYZ-9'] },
    { path: '$.items[?@.quantity > 1]' },
    { path: '$.error', exists: false },
  ],
  maxLatencyMs: 500,
};

describe('a test case’s expectation', () => {
  const check = compileExpectation(expectation);

  it('passes an answer that meets every check', () => {
    expect(check(answer(order))).toEqual([]);
  });

  it('lists every check an answer fails, with where and why', () => {
    const failures = check(
      answer(
        { id: 'x-1', status: 'refunded', items: [{ sku: 'ABC-1', quantity: 1 }], error: 'late' },
        {
          status: 502,
          latencyMs: 900,
        },
      ),
    );
    expect(failures).toEqual([
      { check: 'status', pointer: '/status', message: 'expected 200, got 502' },
      { check: 'latency', pointer: '/maxLatencyMs', message: 'took 900 ms, more than 500' },
      { check: 'body-schema', pointer: '/body/id', message: 'must match pattern "^o-"' },
      { check: 'json-path', pointer: '/jsonPath/0', message: '$.status is "refunded", expected "paid"' },
      {
        check: 'json-path',
        pointer: '/jsonPath/1',
        message: '$.items[*].sku is "ABC-1", expected ["ABC-1","XYZ-9"]',
      },
      { check: 'json-path', pointer: '/jsonPath/2', message: '$.items[?@.quantity > 1] selects nothing' },
      { check: 'json-path', pointer: '/jsonPath/3', message: '$.error selects ["late"]' },
    ]);
  });

  it('fails body checks at once when the body is not JSON', () => {
    expect(check(answer('<html>', { bodyIsJson: false }))).toEqual([
      { check: 'body-schema', pointer: '/body', message: 'the body is not JSON' },
    ]);
    // Without body checks, only the status and latency count.
    expect(
      compileExpectation({ status: 204 })(answer(undefined, { status: 204, bodyIsJson: false })),
    ).toEqual([]);
  });

  it('refuses, as written, a schema that does not compile, a query that does not parse, and a value that must not exist', () => {
    expect(
      expectationViolations(
        {
          status: 200,
          bodySchema: { type: 'objekt' },
          jsonPath: [{ path: '$.ok' }, { path: 'items[' }, { path: '$.x', exists: false, equals: 1 }],
        },
        '/expect',
      ),
    ).toEqual([
      { pointer: '/expect/bodySchema', message: expect.stringMatching(/^is not a valid JSON Schema/) },
      {
        pointer: '/expect/jsonPath/1/path',
        message: expect.stringMatching(/^is not a JSONPath \(RFC 9535\) query/),
      },
      { pointer: '/expect/jsonPath/2', message: 'cannot expect a value that does not exist' },
    ]);
    expect(expectationViolations(expectation)).toEqual([]);
  });
});
