import { newId } from '../crypto/random.ts';
import { type CheckFailure, compileExpectation } from './expectation.ts';
import type { TestCase } from './test-case.ts';

/** One run of a case: what came back and every check it failed. */
export interface TestRun {
  runId: string;
  caseId: string;
  apiName: string;
  at: string;
  trigger: 'schedule' | 'manual';
  ok: boolean;
  status?: number;
  latencyMs: number;
  failures: CheckFailure[];
  /** The first 2,048 characters of the answer's body, to see what failed. */
  bodyExcerpt?: string;
}

export interface CaseAnswer {
  status: number;
  contentType: string;
  body: string;
  latencyMs: number;
}

/** Sends a case's request: absent an answer (timeout, connection refused) it throws. */
export type CaseTransport = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<CaseAnswer>;

export interface RunDeps {
  /** The gateway's base, e.g. `https://api.example.com`: cases go to `{base}/apis/{name}{path}`. */
  gatewayBaseUrl: string;
  transport: CaseTransport;
  /** A bearer token of the platform's tester app for the case's environment, with the API's scopes. */
  token(testCase: TestCase): Promise<string>;
}

const EXCERPT_BYTES = 2048;

export const caseUrl = (base: string, testCase: TestCase): string => {
  const url = new URL(`${base.replace(/\/$/, '')}/apis/${testCase.apiName}${testCase.request.path}`);
  for (const [name, value] of Object.entries(testCase.request.query ?? {})) url.searchParams.set(name, value);
  return url.toString();
};

/** The case's request as the tester app sends it, with `token`. */
export function caseRequestInit(testCase: TestCase, token: string): Parameters<CaseTransport>[1] {
  const { request } = testCase;
  const hasBody = request.body !== undefined && request.method !== 'GET' && request.method !== 'DELETE';
  return {
    method: request.method,
    headers: {
      ...(request.headers ?? {}),
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
      authorization: `Bearer ${token}`,
      'user-agent': 'portico-test-cases',
    },
    ...(hasBody ? { body: JSON.stringify(request.body) } : {}),
  };
}

/** Runs the case through the gateway, as a third party's call, and checks the answer. */
export async function runCase(
  deps: RunDeps,
  testCase: TestCase,
  trigger: TestRun['trigger'],
  now: Date,
): Promise<TestRun> {
  const base = {
    runId: newId('run'),
    caseId: testCase.caseId,
    apiName: testCase.apiName,
    at: now.toISOString(),
    trigger,
  };
  let answer: CaseAnswer;
  try {
    answer = await deps.transport(
      caseUrl(deps.gatewayBaseUrl, testCase),
      caseRequestInit(testCase, await deps.token(testCase)),
    );
  } catch (error) {
    return {
      ...base,
      ok: false,
      latencyMs: 0,
      failures: [{ check: 'status', pointer: '/status', message: `no answer: ${(error as Error).message}` }],
    };
  }
  let parsed: unknown;
  let bodyIsJson = false;
  if (/\bjson\b/i.test(answer.contentType)) {
    try {
      parsed = JSON.parse(answer.body);
      bodyIsJson = true;
    } catch {
      // Not JSON after all: checks that need JSON say so.
    }
  }
  const failures = compileExpectation(testCase.expect)({
    status: answer.status,
    body: parsed,
    bodyIsJson,
    latencyMs: answer.latencyMs,
  });
  return {
    ...base,
    ok: failures.length === 0,
    status: answer.status,
    latencyMs: Math.round(answer.latencyMs),
    failures,
    ...(answer.body ? { bodyExcerpt: answer.body.slice(0, EXCERPT_BYTES) } : {}),
  };
}
