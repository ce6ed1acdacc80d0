import type { FieldError } from '../../api/client.ts';
import type { CaseEnvironment, CaseMethod, JsonPathAssertion, TestCaseInput } from '../api/test-cases.ts';

export const METHODS: readonly CaseMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
export const ENVIRONMENTS: readonly CaseEnvironment[] = ['sandbox', 'production'];

/** What a JSONPath row asserts: the value it selects, that it selects something, or that it selects nothing. */
export type AssertionCheck = 'equals' | 'exists' | 'absent';

export interface AssertionRow {
  /** Keeps the row's inputs (and their ids) when rows above it are removed. */
  id: number;
  path: string;
  check: AssertionCheck;
  /** The expected value as JSON, when `check` is `equals`. */
  value: string;
}

/** A test case as the form's inputs hold it: text as typed. */
export interface TestCaseForm {
  name: string;
  method: CaseMethod;
  path: string;
  /** `name=value`, one a line. */
  query: string;
  /** `Name: value`, one a line. */
  headers: string;
  /** JSON; blank for none. */
  body: string;
  status: string;
  /** A JSON Schema as JSON; blank for none. */
  bodySchema: string;
  assertions: AssertionRow[];
  maxLatencyMs: string;
  environment: CaseEnvironment;
  /** Blank: on demand only. */
  everyMinutes: string;
  enabled: boolean;
}

/** The inputs of the form an error can be shown against. */
export type FieldKey =
  | 'name'
  | 'method'
  | 'path'
  | 'query'
  | 'headers'
  | 'body'
  | 'status'
  | 'bodySchema'
  | 'assertions'
  | `assertions.${number}.${'path' | 'check' | 'value'}`
  | 'maxLatencyMs'
  | 'environment'
  | 'everyMinutes'
  | 'enabled';

export interface PlacedErrors {
  byField: Partial<Record<FieldKey, string[]>>;
  /** Errors of members the form does not show: listed as they are. */
  unplaced: FieldError[];
}

export const NO_ERRORS: PlacedErrors = { byField: {}, unplaced: [] };

export const MAX_NAME = 100;
export const MAX_LATENCY_MS = 60_000;
export const MAX_EVERY_MINUTES = 1_440;

export const newAssertion = (id: number): AssertionRow => ({ id, path: '', check: 'equals', value: '' });

export const NEW_TEST_CASE_FORM: TestCaseForm = {
  name: '',
  method: 'GET',
  path: '/',
  query: '',
  headers: '',
  body: '',
  status: '200',
  bodySchema: '',
  assertions: [],
  maxLatencyMs: '',
  environment: 'sandbox',
  everyMinutes: '',
  enabled: true,
};

/** The next row id of a form (one more than the largest). */
export const nextAssertionId = (form: TestCaseForm): number =>
  form.assertions.reduce((largest, row) => Math.max(largest, row.id + 1), 0);

const pretty = (value: unknown): string => JSON.stringify(value, null, 2);

function assertionRowOf(assertion: JsonPathAssertion, id: number): AssertionRow {
  if (assertion.equals !== undefined)
    return { id, path: assertion.path, check: 'equals', value: JSON.stringify(assertion.equals) };
  return { id, path: assertion.path, check: assertion.exists === false ? 'absent' : 'exists', value: '' };
}

/** A stored case as the form shows it. */
export function formOfTestCase(testCase: TestCaseInput): TestCaseForm {
  const { request, expect } = testCase;
  return {
    name: testCase.name,
    method: request.method,
    path: request.path,
    query: Object.entries(request.query ?? {})
      .map(([name, value]) => `${name}=${value}`)
      .join('\n'),
    headers: Object.entries(request.headers ?? {})
      .map(([name, value]) => `${name}: ${value}`)
      .join('\n'),
    body: request.body === undefined ? '' : pretty(request.body),
    status: String(expect.status),
    bodySchema: expect.bodySchema === undefined ? '' : pretty(expect.bodySchema),
    assertions: (expect.jsonPath ?? []).map(assertionRowOf),
    maxLatencyMs: expect.maxLatencyMs === undefined ? '' : String(expect.maxLatencyMs),
    environment: testCase.environment,
    everyMinutes: testCase.everyMinutes === undefined ? '' : String(testCase.everyMinutes),
    enabled: testCase.enabled ?? true,
  };
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** JSON text read, or why it cannot be: the parser's own words, which say where. */
export function parseJson(text: string): Parsed<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `Not valid JSON: ${(error as Error).message}` };
  }
}

/**
 * Lines of `name<separator>value` as an object; blank lines skipped, the value trimmed (a value may hold
 * the separator). Each faulty line is named by its number.
 */
export function parseLines(text: string, separator: '=' | ':', what: string): Parsed<Record<string, string>> {
  const entries: Record<string, string> = {};
  const problems: string[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    const at = line.indexOf(separator);
    const name = at < 0 ? '' : line.slice(0, at).trim();
    if (at < 0 || !name) {
      problems.push(`line ${index + 1} is not ${what}`);
      return;
    }
    if (Object.hasOwn(entries, name)) {
      problems.push(`line ${index + 1} repeats ${name}`);
      return;
    }
    entries[name] = line.slice(at + 1).trim();
  });
  if (problems.length) return { ok: false, message: `${problems.join('; ')}.` };
  return { ok: true, value: entries };
}

/** A whole number in `[min, max]` typed in an input; blank is undefined. */
function parseWhole(text: string, min: number, max: number): Parsed<number | undefined> {
  const trimmed = text.trim();
  if (!trimmed) return { ok: true, value: undefined };
  const n = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    return {
      ok: false,
      message: `A whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}.`,
    };
  return { ok: true, value: n };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export type FormCheck = { ok: true; input: TestCaseInput } | { ok: false; errors: PlacedErrors };

/**
 * The input to send, or what is wrong with the form (the platform's own rules checked first here, JSON
 * read where it is typed). The platform checks the rest: a JSONPath that does not parse, a schema that
 * does not compile.
 */
export function checkTestCaseForm(form: TestCaseForm): FormCheck {
  const byField: Partial<Record<FieldKey, string[]>> = {};
  const fail = (field: FieldKey, message: string) => {
    byField[field] = [...(byField[field] ?? []), message];
  };
  const name = form.name.trim();
  if (!name) fail('name', 'Name the test case.');
  else if (name.length > MAX_NAME) fail('name', 'At most 100 characters.');

  const path = form.path.trim();
  if (!path.startsWith('/')) fail('path', 'Start with / (the path below the API).');
  else if (/[?#]/.test(path)) fail('path', 'Put query parameters in their own field, without ? or #.');
  else if (/\s/.test(path)) fail('path', 'No spaces: encode them as %20.');

  const query = parseLines(form.query, '=', 'name=value');
  if (!query.ok) fail('query', query.message);
  const headers = parseLines(form.headers, ':', 'Name: value');
  if (!headers.ok) fail('headers', headers.message);

  let body: unknown;
  if (form.body.trim()) {
    const parsed = parseJson(form.body);
    if (!parsed.ok) fail('body', parsed.message);
    else if (form.method === 'GET' || form.method === 'DELETE')
      fail('body', `A ${form.method} request is sent without a body: clear it or choose another method.`);
    else body = parsed.value;
  }

  const status = parseWhole(form.status, 100, 599);
  if (!status.ok) fail('status', status.message);
  else if (status.value === undefined) fail('status', 'Enter the status the answer must have.');

  let bodySchema: Record<string, unknown> | undefined;
  if (form.bodySchema.trim()) {
    const parsed = parseJson(form.bodySchema);
    if (!parsed.ok) fail('bodySchema', parsed.message);
    else if (!isObject(parsed.value))
      fail('bodySchema', 'A JSON Schema is a JSON object: {"type": "object", …}.');
    else bodySchema = parsed.value;
  }

  const jsonPath: JsonPathAssertion[] = [];
  form.assertions.forEach((row, i) => {
    const rowPath = row.path.trim();
    if (!rowPath) fail(`assertions.${i}.path`, 'Enter a JSONPath query, e.g. $.message.');
    else if (!rowPath.startsWith('$')) fail(`assertions.${i}.path`, 'A JSONPath query starts with $.');
    if (row.check === 'equals') {
      if (!row.value.trim()) {
        fail(`assertions.${i}.value`, 'Enter the JSON value expected: "text" in quotes, 42, true, null…');
        return;
      }
      const parsed = parseJson(row.value);
      if (!parsed.ok) fail(`assertions.${i}.value`, `${parsed.message}. Write text in quotes: "ok".`);
      else jsonPath.push({ path: rowPath, equals: parsed.value });
    } else jsonPath.push({ path: rowPath, exists: row.check === 'exists' });
  });

  const maxLatencyMs = parseWhole(form.maxLatencyMs, 1, MAX_LATENCY_MS);
  if (!maxLatencyMs.ok) fail('maxLatencyMs', maxLatencyMs.message);
  const everyMinutes = parseWhole(form.everyMinutes, 1, MAX_EVERY_MINUTES);
  if (!everyMinutes.ok) fail('everyMinutes', everyMinutes.message);

  if (Object.keys(byField).length > 0) return { ok: false, errors: { byField, unplaced: [] } };
  const queryValue = query.ok ? query.value : {};
  const headerValue = headers.ok ? headers.value : {};
  return {
    ok: true,
    input: {
      name,
      request: {
        method: form.method,
        path,
        ...(Object.keys(queryValue).length ? { query: queryValue } : {}),
        ...(Object.keys(headerValue).length ? { headers: headerValue } : {}),
        ...(body !== undefined ? { body } : {}),
      },
      expect: {
        status: status.ok && status.value !== undefined ? status.value : 200,
        ...(bodySchema ? { bodySchema } : {}),
        ...(jsonPath.length ? { jsonPath } : {}),
        ...(maxLatencyMs.ok && maxLatencyMs.value !== undefined ? { maxLatencyMs: maxLatencyMs.value } : {}),
      },
      environment: form.environment,
      ...(everyMinutes.ok && everyMinutes.value !== undefined ? { everyMinutes: everyMinutes.value } : {}),
      enabled: form.enabled,
    },
  };
}

/** A JSON pointer's reference tokens (RFC 6901). */
const tokensOf = (pointer: string): string[] =>
  pointer
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));

const REQUEST_FIELDS: Record<string, FieldKey> = {
  method: 'method',
  path: 'path',
  query: 'query',
  headers: 'headers',
  body: 'body',
};
const EXPECT_FIELDS: Record<string, FieldKey> = {
  status: 'status',
  bodySchema: 'bodySchema',
  maxLatencyMs: 'maxLatencyMs',
};
const TOP_FIELDS: Record<string, FieldKey> = {
  name: 'name',
  environment: 'environment',
  everyMinutes: 'everyMinutes',
  enabled: 'enabled',
};
const ASSERTION_FIELDS: Record<string, 'path' | 'check' | 'value'> = {
  path: 'path',
  exists: 'check',
  equals: 'value',
};

/** The input a violation's JSON pointer names (`/expect/jsonPath/0/path`), or undefined when none shows it. */
export function fieldOfPointer(pointer: string): FieldKey | undefined {
  const [first, second, third, fourth] = tokensOf(pointer);
  if (first === undefined) return undefined;
  if (first === 'request') {
    // A request missing its path or method is told at /request: the path is the input to look at.
    if (second === undefined) return 'path';
    return Object.hasOwn(REQUEST_FIELDS, second) ? REQUEST_FIELDS[second] : undefined;
  }
  if (first === 'expect') {
    if (second === undefined) return 'status';
    if (second === 'jsonPath') {
      if (third === undefined) return 'assertions';
      if (!/^\d+$/.test(third)) return undefined;
      if (fourth === undefined) return `assertions.${Number(third)}.check`;
      const part = Object.hasOwn(ASSERTION_FIELDS, fourth) ? ASSERTION_FIELDS[fourth] : undefined;
      return part ? `assertions.${Number(third)}.${part}` : undefined;
    }
    return Object.hasOwn(EXPECT_FIELDS, second) ? EXPECT_FIELDS[second] : undefined;
  }
  return second === undefined && Object.hasOwn(TOP_FIELDS, first) ? TOP_FIELDS[first] : undefined;
}

/** A 400's `errors` shared out to the form's inputs; the rest listed as they are. */
export function placeErrors(errors: readonly FieldError[]): PlacedErrors {
  const placed: PlacedErrors = { byField: {}, unplaced: [] };
  for (const error of errors) {
    const field = error.pointer !== undefined ? fieldOfPointer(error.pointer) : undefined;
    if (field === undefined) placed.unplaced.push(error);
    else placed.byField[field] = [...(placed.byField[field] ?? []), error.message];
  }
  return placed;
}

export const hasErrors = (placed: PlacedErrors): boolean =>
  placed.unplaced.length > 0 || Object.keys(placed.byField).length > 0;

const LABELS: Record<string, string> = {
  name: 'Name',
  method: 'Method',
  path: 'Request path',
  query: 'Query parameters',
  headers: 'Headers',
  body: 'Request body (JSON)',
  status: 'Expected status',
  bodySchema: 'Body schema (JSON Schema)',
  assertions: 'JSONPath assertions',
  maxLatencyMs: 'Maximum latency (ms)',
  environment: 'Environment',
  everyMinutes: 'Run every (minutes)',
  enabled: 'Enabled',
};

const ASSERTION_LABELS = { path: 'JSONPath', check: 'Check', value: 'Expected value (JSON)' } as const;

/** How the error summary names an input: "Assertion 2: JSONPath". */
export function labelOfField(field: FieldKey): string {
  const match = /^assertions\.(\d+)\.(path|check|value)$/.exec(field);
  if (match) return `Assertion ${Number(match[1]) + 1}: ${ASSERTION_LABELS[match[2] as 'path']}`;
  return LABELS[field] ?? field;
}

/** The id of the input an error of `field` is shown against (for the error summary's links). */
export function inputIdOf(idBase: string, field: FieldKey, form: TestCaseForm): string {
  const match = /^assertions\.(\d+)\.(path|check|value)$/.exec(field);
  if (match) {
    const row = form.assertions[Number(match[1])];
    return row ? `${idBase}-assertion-${row.id}-${match[2]}` : `${idBase}-assertions-error`;
  }
  if (field === 'assertions') return `${idBase}-assertions-error`;
  return `${idBase}-${field}`;
}
