import { apiFetch } from '../../api/client.ts';
import { segment } from './query-string.ts';
import { fetchTagged, type Tagged } from './tagged-fetch.ts';

export type CaseMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type CaseEnvironment = 'sandbox' | 'production';

/** The request a case sends through the gateway, below `/apis/{apiName}`. */
export interface CaseRequest {
  method: CaseMethod;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A JSONPath (RFC 9535) assertion on the answer's body: `exists` and `equals` as the platform reads them. */
export interface JsonPathAssertion {
  path: string;
  equals?: unknown;
  exists?: boolean;
}

export interface Expectation {
  status: number;
  bodySchema?: Record<string, unknown>;
  jsonPath?: JsonPathAssertion[];
  maxLatencyMs?: number;
}

/** What an operator writes (`TestCaseInput`). */
export interface TestCaseInput {
  name: string;
  request: CaseRequest;
  expect: Expectation;
  environment: CaseEnvironment;
  everyMinutes?: number;
  enabled?: boolean;
}

export interface RunSummary {
  runId: string;
  at: string;
  ok: boolean;
  status?: number;
  latencyMs: number;
}

/** A stored test case (`TestCase`). */
export interface TestCase extends TestCaseInput {
  caseId: string;
  apiName: string;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  revision: number;
  nextRunAt?: string;
  lastRun?: RunSummary;
}

export interface CheckFailure {
  check: 'status' | 'body-schema' | 'json-path' | 'latency';
  /** Where in the expectation (`/jsonPath/1`) or in the body (`/body/items/0`). */
  pointer: string;
  message: string;
}

/** One run of a case (`TestRun`). */
export interface TestRun extends RunSummary {
  caseId: string;
  apiName: string;
  trigger: 'schedule' | 'manual';
  failures: CheckFailure[];
  /** The first 2,048 characters of the answer's body. */
  bodyExcerpt?: string;
}

const casesOf = (apiName: string) => `/console/v1/apis/${segment(apiName)}/test-cases`;
/** A case's address below the console API; its runs and load runs are below it. */
export const caseOf = (apiName: string, caseId: string) => `${casesOf(apiName)}/${segment(caseId)}`;

export const fetchTestCases = (apiName: string): Promise<TestCase[]> =>
  apiFetch<{ items: TestCase[] }>(casesOf(apiName)).then((answer) => answer.items);

/** The case and its revision (from the ETag), to write it back over. */
export const fetchTestCase = (apiName: string, caseId: string): Promise<Tagged<TestCase>> =>
  fetchTagged<TestCase>(caseOf(apiName, caseId));

export const createTestCase = (apiName: string, input: TestCaseInput): Promise<TestCase> =>
  apiFetch<TestCase>(casesOf(apiName), { method: 'POST', json: input });

/** Replaces the case, only over `revision` (`If-Match`): 409 when someone else wrote it since. */
export const putTestCase = (
  apiName: string,
  caseId: string,
  input: TestCaseInput,
  revision: string,
): Promise<Tagged<TestCase>> =>
  fetchTagged<TestCase>(caseOf(apiName, caseId), { method: 'PUT', json: input, ifMatch: revision });

export const deleteTestCase = (apiName: string, caseId: string): Promise<void> =>
  apiFetch<undefined>(caseOf(apiName, caseId), { method: 'DELETE' });

/** Runs the case now through the gateway (up to 30 s) and keeps the run in its history. */
export const runTestCase = (apiName: string, caseId: string): Promise<TestRun> =>
  apiFetch<TestRun>(`${caseOf(apiName, caseId)}/run`, { method: 'POST' });

/** The case's runs, newest first (the platform keeps the last 50 here). */
export const fetchTestRuns = (apiName: string, caseId: string): Promise<TestRun[]> =>
  apiFetch<{ items: TestRun[] }>(`${caseOf(apiName, caseId)}/runs`).then((answer) => answer.items);
