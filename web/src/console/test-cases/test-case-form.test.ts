import { describe, expect, it } from 'vitest';
import type { TestCaseInput } from '../api/test-cases.ts';
import {
  checkTestCaseForm,
  fieldOfPointer,
  formOfTestCase,
  inputIdOf,
  labelOfField,
  NEW_TEST_CASE_FORM,
  nextAssertionId,
  parseLines,
  placeErrors,
  type TestCaseForm,
} from './test-case-form.ts';

const form = (overrides: Partial<TestCaseForm> = {}): TestCaseForm => ({
  ...NEW_TEST_CASE_FORM,
  name: 'Hello answers',
  path: '/hello',
  ...overrides,
});

const errorsOf = (overrides: Partial<TestCaseForm>) => {
  const check = checkTestCaseForm(form(overrides));
  return check.ok ? undefined : check.errors.byField;
};

describe('a test case form', () => {
  it('reads a minimal case: a GET expecting 200 in the sandbox, on demand', () => {
    expect(checkTestCaseForm(form())).toEqual({
      ok: true,
      input: {
        name: 'Hello answers',
        request: { method: 'GET', path: '/hello' },
        expect: { status: 200 },
        environment: 'sandbox',
        enabled: true,
      },
    });
  });

  it('reads every member: query and header lines, JSON body and schema, assertions, limits, schedule', () => {
    const check = checkTestCaseForm(
      form({
        name: ' Create an order ',
        method: 'POST',
        path: ' /orders ',
        query: 'dryRun=true\n\nfilter = a=b \n',
        headers: 'X-Trace: one: two\nAccept:application/json',
        body: '{"item": "tea", "count": 2}',
        status: '201',
        bodySchema: '{"type": "object", "required": ["id"]}',
        assertions: [
          { id: 0, path: '$.item', check: 'equals', value: '"tea"' },
          { id: 1, path: '$.id', check: 'exists', value: 'ignored' },
          { id: 2, path: '$.error', check: 'absent', value: '' },
          { id: 3, path: '$.count', check: 'equals', value: ' 2 ' },
        ],
        maxLatencyMs: '800',
        environment: 'production',
        everyMinutes: '15',
        enabled: false,
      }),
    );
    expect(check).toEqual({
      ok: true,
      input: {
        name: 'Create an order',
        request: {
          method: 'POST',
          path: '/orders',
          query: { dryRun: 'true', filter: 'a=b' },
          headers: { 'X-Trace': 'one: two', Accept: 'application/json' },
          body: { item: 'tea', count: 2 },
        },
        expect: {
          status: 201,
          bodySchema: { type: 'object', required: ['id'] },
          jsonPath: [
            { path: '$.item', equals: 'tea' },
            { path: '$.id', exists: true },
            { path: '$.error', exists: false },
            { path: '$.count', equals: 2 },
          ],
          maxLatencyMs: 800,
        },
        environment: 'production',
        everyMinutes: 15,
        enabled: false,
      },
    });
  });

  it('puts JSON that does not parse against its own input', () => {
    const errors = errorsOf({
      method: 'POST',
      body: '{"item": }',
      bodySchema: '{type: object}',
      assertions: [{ id: 4, path: '$.item', check: 'equals', value: 'tea' }],
    });
    expect(Object.keys(errors ?? {})).toEqual(['body', 'bodySchema', 'assertions.0.value']);
    expect(errors?.body?.[0]).toMatch(/^Not valid JSON: /);
    expect(errors?.['assertions.0.value']?.[0]).toMatch(/Write text in quotes: "ok"\.$/);
  });

  it('wants a schema that is an object, and no body on a GET or DELETE', () => {
    expect(errorsOf({ bodySchema: '[1]', body: '{}' })).toEqual({
      body: ['A GET request is sent without a body: clear it or choose another method.'],
      bodySchema: ['A JSON Schema is a JSON object: {"type": "object", …}.'],
    });
  });

  it('checks the name, the path, the status and the numbers as the platform does', () => {
    expect(
      errorsOf({
        name: ' ',
        path: 'hello',
        status: '99',
        maxLatencyMs: '60001',
        everyMinutes: '1.5',
      }),
    ).toEqual({
      name: ['Name the test case.'],
      path: ['Start with / (the path below the API).'],
      status: ['A whole number from 100 to 599.'],
      maxLatencyMs: ['A whole number from 1 to 60,000.'],
      everyMinutes: ['A whole number from 1 to 1,440.'],
    });
    expect(errorsOf({ path: '/hello?x=1', status: '' })).toEqual({
      path: ['Put query parameters in their own field, without ? or #.'],
      status: ['Enter the status the answer must have.'],
    });
  });

  it('wants each assertion to have a JSONPath query and, to compare, a value', () => {
    expect(
      errorsOf({
        assertions: [
          { id: 0, path: '', check: 'exists', value: '' },
          { id: 1, path: 'message', check: 'equals', value: ' ' },
        ],
      }),
    ).toEqual({
      'assertions.0.path': ['Enter a JSONPath query, e.g. $.message.'],
      'assertions.1.path': ['A JSONPath query starts with $.'],
      'assertions.1.value': ['Enter the JSON value expected: "text" in quotes, 42, true, null…'],
    });
  });

  it('names the lines of query parameters and headers it cannot read', () => {
    expect(parseLines('a=1\nb\n=2\na=3', '=', 'name=value')).toEqual({
      ok: false,
      message: 'line 2 is not name=value; line 3 is not name=value; line 4 repeats a.',
    });
    expect(errorsOf({ headers: 'Accept json' })).toEqual({ headers: ['line 1 is not Name: value.'] });
  });
});

describe('a stored case in the form', () => {
  const stored: TestCaseInput = {
    name: 'Create',
    request: {
      method: 'PUT',
      path: '/orders/1',
      query: { a: '1', b: 'x=y' },
      headers: { 'X-Key': 'v' },
      body: { nested: [1, 2] },
    },
    expect: {
      status: 200,
      bodySchema: { type: 'object' },
      jsonPath: [
        { path: '$.a', equals: { b: null } },
        { path: '$.b' },
        { path: '$.c', exists: true },
        { path: '$.d', exists: false },
      ],
      maxLatencyMs: 500,
    },
    environment: 'production',
    everyMinutes: 60,
    enabled: true,
  };

  it('shows every member as text', () => {
    const shown = formOfTestCase(stored);
    expect(shown.query).toBe('a=1\nb=x=y');
    expect(shown.headers).toBe('X-Key: v');
    expect(shown.body).toBe('{\n  "nested": [\n    1,\n    2\n  ]\n}');
    expect(shown.assertions.map((row) => [row.check, row.value])).toEqual([
      ['equals', '{"b":null}'],
      ['exists', ''],
      ['exists', ''],
      ['absent', ''],
    ]);
    expect(nextAssertionId(shown)).toBe(4);
    expect(nextAssertionId(NEW_TEST_CASE_FORM)).toBe(0);
  });

  it('reads back as it was written (an assertion of existence spelled out)', () => {
    const check = checkTestCaseForm(formOfTestCase(stored));
    expect(check.ok && check.input).toEqual({
      ...stored,
      expect: {
        ...stored.expect,
        jsonPath: [
          { path: '$.a', equals: { b: null } },
          { path: '$.b', exists: true },
          { path: '$.c', exists: true },
          { path: '$.d', exists: false },
        ],
      },
    });
  });
});

describe('the platform’s field errors', () => {
  it('are put against the inputs their pointers name', () => {
    expect(fieldOfPointer('/name')).toBe('name');
    expect(fieldOfPointer('/request')).toBe('path');
    expect(fieldOfPointer('/request/path')).toBe('path');
    expect(fieldOfPointer('/request/headers/Authorization')).toBe('headers');
    expect(fieldOfPointer('/request/query/a')).toBe('query');
    expect(fieldOfPointer('/expect')).toBe('status');
    expect(fieldOfPointer('/expect/bodySchema')).toBe('bodySchema');
    expect(fieldOfPointer('/expect/bodySchema/type')).toBe('bodySchema');
    expect(fieldOfPointer('/expect/jsonPath')).toBe('assertions');
    expect(fieldOfPointer('/expect/jsonPath/0/path')).toBe('assertions.0.path');
    expect(fieldOfPointer('/expect/jsonPath/2')).toBe('assertions.2.check');
    expect(fieldOfPointer('/expect/jsonPath/1/equals')).toBe('assertions.1.value');
    expect(fieldOfPointer('/everyMinutes')).toBe('everyMinutes');
    expect(fieldOfPointer('/request/other')).toBeUndefined();
    expect(fieldOfPointer('/expect/jsonPath/x')).toBeUndefined();
    expect(fieldOfPointer('/constructor')).toBeUndefined();
    expect(fieldOfPointer('/')).toBeUndefined();
  });

  it('are shared out, the rest listed as they are', () => {
    expect(
      placeErrors([
        { pointer: '/request/path', message: 'must not step out of the API with . or ..' },
        { pointer: '/expect/jsonPath/0/path', message: 'is not a JSONPath (RFC 9535) query' },
        { pointer: '/request/path', message: 'must match pattern' },
        { pointer: '/extra', message: 'is not allowed' },
        { path: 'limit', message: 'x' },
      ]),
    ).toEqual({
      byField: {
        path: ['must not step out of the API with . or ..', 'must match pattern'],
        'assertions.0.path': ['is not a JSONPath (RFC 9535) query'],
      },
      unplaced: [
        { pointer: '/extra', message: 'is not allowed' },
        { path: 'limit', message: 'x' },
      ],
    });
  });

  it('name and link to their inputs', () => {
    const shown = form({ assertions: [{ id: 7, path: '', check: 'exists', value: '' }] });
    expect(labelOfField('assertions.0.path')).toBe('Assertion 1: JSONPath');
    expect(labelOfField('bodySchema')).toBe('Body schema (JSON Schema)');
    expect(inputIdOf('f', 'assertions.0.value', shown)).toBe('f-assertion-7-value');
    expect(inputIdOf('f', 'assertions.3.path', shown)).toBe('f-assertions-error');
    expect(inputIdOf('f', 'path', shown)).toBe('f-path');
  });
});
