import { isDeepStrictEqual } from 'node:util';
import type { Ajv, ValidateFunction } from 'ajv';
import { query } from 'jsonpath-rfc9535';
import parseJsonPath from 'jsonpath-rfc9535/parser';
import { newAjv } from '../kernel/ajv.ts';
import { toViolation, type Violation } from '../kernel/validation.ts';

/**
 * What a test case expects of the answer to its request (seed 002: per-API cases like Postman's, run on
 * a schedule): a status, optionally a JSON Schema the body must satisfy, JSONPath (RFC 9535) assertions
 * on the body, and a latency ceiling.
 */
export interface Expectation {
  status: number;
  bodySchema?: Record<string, unknown>;
  jsonPath?: JsonPathAssertion[];
  maxLatencyMs?: number;
}

/**
 * `exists`: whether the path selects anything. `equals`: the value it selects (one node), or the list
 * of values (several nodes), deep-equals this. An assertion with neither asserts that it exists.
 */
export interface JsonPathAssertion {
  path: string;
  equals?: unknown;
  exists?: boolean;
}

/** The answer a run got: its status, its body (parsed when it was JSON), and how long it took. */
export interface Observed {
  status: number;
  body: unknown;
  bodyIsJson: boolean;
  latencyMs: number;
}

export interface CheckFailure {
  check: 'status' | 'body-schema' | 'json-path' | 'latency';
  /** Where in the expectation the failing check is (`/jsonPath/1`), or in the body (`/body/items/0`). */
  pointer: string;
  message: string;
}

let schemas: Ajv | undefined;
const schemaCompiler = () => {
  schemas ??= newAjv({ allErrors: true, strict: false });
  return schemas;
};

/** What is wrong with an expectation as written: a schema that does not compile, a path that does not parse. */
export function expectationViolations(expectation: Expectation, at = ''): Violation[] {
  const violations: Violation[] = [];
  if (expectation.bodySchema) {
    try {
      schemaCompiler().compile(expectation.bodySchema);
    } catch (error) {
      violations.push({
        pointer: `${at}/bodySchema`,
        message: `is not a valid JSON Schema: ${(error as Error).message}`,
      });
    }
  }
  expectation.jsonPath?.forEach((assertion, i) => {
    try {
      parseJsonPath(assertion.path);
    } catch (error) {
      violations.push({
        pointer: `${at}/jsonPath/${i}/path`,
        message: `is not a JSONPath (RFC 9535) query: ${(error as Error).message.slice(0, 200)}`,
      });
    }
    if (assertion.exists === false && assertion.equals !== undefined)
      violations.push({
        pointer: `${at}/jsonPath/${i}`,
        message: 'cannot expect a value that does not exist',
      });
  });
  return violations;
}

const shown = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
};

/**
 * The checks of an expectation, compiled once (its schema with it): the returned function lists every
 * check a run's answer fails, none when it passes. Expects an expectation `expectationViolations` accepts.
 */
export function compileExpectation(expectation: Expectation): (observed: Observed) => CheckFailure[] {
  const validateBody: ValidateFunction | undefined = expectation.bodySchema
    ? schemaCompiler().compile(expectation.bodySchema)
    : undefined;
  return (observed) => {
    const failures: CheckFailure[] = [];
    if (observed.status !== expectation.status) {
      failures.push({
        check: 'status',
        pointer: '/status',
        message: `expected ${expectation.status}, got ${observed.status}`,
      });
    }
    if (expectation.maxLatencyMs !== undefined && observed.latencyMs > expectation.maxLatencyMs) {
      failures.push({
        check: 'latency',
        pointer: '/maxLatencyMs',
        message: `took ${Math.round(observed.latencyMs)} ms, more than ${expectation.maxLatencyMs}`,
      });
    }
    const needsJson = validateBody !== undefined || (expectation.jsonPath?.length ?? 0) > 0;
    if (needsJson && !observed.bodyIsJson) {
      failures.push({ check: 'body-schema', pointer: '/body', message: 'the body is not JSON' });
      return failures;
    }
    if (validateBody && !validateBody(observed.body)) {
      for (const violation of (validateBody.errors ?? []).map(toViolation))
        failures.push({
          check: 'body-schema',
          pointer: `/body${violation.pointer}`,
          message: violation.message,
        });
    }
    expectation.jsonPath?.forEach((assertion, i) => {
      const found = query(observed.body as never, assertion.path);
      const pointer = `/jsonPath/${i}`;
      const exists = assertion.exists ?? true;
      if (!exists) {
        if (found.length > 0)
          failures.push({
            check: 'json-path',
            pointer,
            message: `${assertion.path} selects ${shown(found)}`,
          });
        return;
      }
      if (found.length === 0) {
        failures.push({ check: 'json-path', pointer, message: `${assertion.path} selects nothing` });
        return;
      }
      if (assertion.equals === undefined) return;
      const actual = found.length === 1 ? found[0] : found;
      if (!isDeepStrictEqual(actual, assertion.equals)) {
        failures.push({
          check: 'json-path',
          pointer,
          message: `${assertion.path} is ${shown(actual)}, expected ${shown(assertion.equals)}`,
        });
      }
    });
    return failures;
  };
}
