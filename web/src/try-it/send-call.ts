import { type Problem, problemOf, readBody } from '../api/client.ts';
import type { Call } from './try-it-call.ts';

/** The answer headers worth showing: the platform's own, which the gateway exposes to browsers. */
export const SHOWN_HEADERS = [
  'content-type',
  'x-request-id',
  'ratelimit',
  'ratelimit-policy',
  'retry-after',
  'deprecation',
  'sunset',
] as const;

export interface CallResult {
  status: number;
  statusText: string;
  durationMs: number;
  headers: [name: string, value: string][];
  body: unknown;
  /** The problem details when the answer is `application/problem+json`. */
  problem: Problem | undefined;
}

/** Makes the call with the sandbox token; rejects only when no answer came (network, CORS). */
export async function sendCall(
  call: Call,
  token: string,
  fetchImpl: typeof fetch = fetch,
  clock: () => number = () => performance.now(),
): Promise<CallResult> {
  const headers = new Headers(call.headers);
  headers.set('authorization', `Bearer ${token}`);
  const started = clock();
  let response: Response;
  try {
    response = await fetchImpl(call.url, {
      method: call.method,
      headers,
      ...(call.body !== undefined ? { body: call.body } : {}),
      cache: 'no-store',
    });
  } catch {
    throw new Error(
      'No answer: the API could not be reached from this page (network failure, or the gateway refused the cross-origin call).',
    );
  }
  const body = await readBody(response);
  const durationMs = Math.round(clock() - started);
  const isProblem = /application\/problem\+json/i.test(response.headers.get('content-type') ?? '');
  return {
    status: response.status,
    statusText: response.statusText,
    durationMs,
    headers: SHOWN_HEADERS.flatMap((name) => {
      const value = response.headers.get(name);
      return value === null ? [] : [[name, value] as [string, string]];
    }),
    body,
    problem: isProblem ? problemOf(response.status, body) : undefined,
  };
}

/** The body as text to show: JSON pretty-printed. */
export const formatBody = (body: unknown): string =>
  body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body, null, 2);
