import { newId } from '../crypto/random.ts';
import { DomainError } from '../kernel/errors.ts';
import { bodyValidator } from '../kernel/validation.ts';
import { type Expectation, expectationViolations } from './expectation.ts';

/** The request a case sends through the gateway, below `/apis/{apiName}`. */
export interface CaseRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * A stored test case of an API (seed 002): a request, what its answer must be, which credential runs it
 * (the platform's tester app, sandbox or production), and how often the scheduler runs it.
 */
export interface TestCase {
  caseId: string;
  apiName: string;
  name: string;
  request: CaseRequest;
  expect: Expectation;
  environment: 'sandbox' | 'production';
  /** Minutes between scheduled runs; absent, the case runs only when asked. */
  everyMinutes?: number;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  revision: number;
  /** When the scheduler runs it next (set when it has a schedule and is enabled). */
  nextRunAt?: string;
  lastRun?: { runId: string; at: string; ok: boolean; status?: number; latencyMs: number };
}

export type TestCaseInput = Pick<TestCase, 'name' | 'request' | 'expect' | 'environment'> &
  Partial<Pick<TestCase, 'everyMinutes' | 'enabled'>>;

/** Headers the runner sets itself, or that would change where or how the request goes. */
const RESERVED_HEADERS = [
  'authorization',
  'host',
  'content-length',
  'connection',
  'transfer-encoding',
  'traceparent',
];

const validateShape = bodyValidator<TestCaseInput>({
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' },
    request: {
      type: 'object',
      properties: {
        method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
        path: { type: 'string', pattern: '^/[^?#\\s]*$', maxLength: 1000 },
        query: {
          type: 'object',
          additionalProperties: { type: 'string', maxLength: 1000 },
          maxProperties: 50,
        },
        headers: {
          type: 'object',
          propertyNames: { pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$" },
          additionalProperties: { type: 'string', maxLength: 2000 },
          maxProperties: 30,
        },
        body: {},
      },
      required: ['method', 'path'],
      additionalProperties: false,
    },
    expect: {
      type: 'object',
      properties: {
        status: { type: 'integer', minimum: 100, maximum: 599 },
        bodySchema: { type: 'object' },
        jsonPath: {
          type: 'array',
          maxItems: 50,
          items: {
            type: 'object',
            properties: {
              path: { type: 'string', minLength: 1, maxLength: 500 },
              equals: {},
              exists: { type: 'boolean' },
            },
            required: ['path'],
            additionalProperties: false,
          },
        },
        maxLatencyMs: { type: 'integer', minimum: 1, maximum: 60_000 },
      },
      required: ['status'],
      additionalProperties: false,
    },
    environment: { enum: ['sandbox', 'production'] },
    everyMinutes: { type: 'integer', minimum: 1, maximum: 1440 },
    enabled: { type: 'boolean' },
  },
  required: ['name', 'request', 'expect', 'environment'],
  additionalProperties: false,
});

/** A case as written: its shape, a path that stays below the API, headers the runner owns, the expectation. */
export function validateTestCase(body: unknown): TestCaseInput {
  const input = validateShape(body);
  const violations = expectationViolations(input.expect, '/expect');
  const segments = input.request.path.split('/').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  if (segments.some((s) => s === '..' || s === '.'))
    violations.push({ pointer: '/request/path', message: 'must not step out of the API with . or ..' });
  for (const name of Object.keys(input.request.headers ?? {}))
    if (RESERVED_HEADERS.includes(name.toLowerCase()))
      violations.push({ pointer: `/request/headers/${name}`, message: 'is set by the runner' });
  if (violations.length > 0) {
    throw new DomainError(
      'validation-failed',
      violations.map((v) => `${v.pointer} ${v.message}`).join('; '),
      {
        errors: violations,
      },
    );
  }
  return input;
}

const nextRun = (input: Pick<TestCase, 'everyMinutes' | 'enabled'>, from: Date) =>
  input.enabled && input.everyMinutes
    ? { nextRunAt: new Date(from.getTime() + input.everyMinutes * 60_000).toISOString() }
    : {};

export function newTestCase(apiName: string, input: TestCaseInput, now: Date): TestCase {
  const enabled = input.enabled ?? true;
  return {
    caseId: newId('tc'),
    apiName,
    ...input,
    enabled,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    revision: 1,
    // A new scheduled case runs at the scheduler's next round, then every `everyMinutes`.
    ...(enabled && input.everyMinutes ? { nextRunAt: now.toISOString() } : {}),
  };
}

/** The case replaced by `input`, keeping its identity, history and last run. */
export function replacedTestCase(before: TestCase, input: TestCaseInput, now: Date): TestCase {
  const enabled = input.enabled ?? true;
  const { nextRunAt: _next, everyMinutes: _every, ...kept } = before;
  return {
    ...kept,
    ...input,
    enabled,
    updatedAt: now.toISOString(),
    revision: before.revision + 1,
    ...nextRun({ enabled, ...(input.everyMinutes ? { everyMinutes: input.everyMinutes } : {}) }, now),
  };
}

/** The case after a run: its last result, and its next scheduled time counted from this run. */
export const afterRun = (
  testCase: TestCase,
  run: { runId: string; at: string; ok: boolean; status?: number; latencyMs: number },
): TestCase => {
  const { nextRunAt: _next, ...rest } = testCase;
  return { ...rest, lastRun: run, ...nextRun(testCase, new Date(run.at)) };
};
