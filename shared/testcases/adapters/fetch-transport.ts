import type { CaseTransport } from '../run-case.ts';

/** Sends a case's request with fetch, no redirect followed, given up after `timeoutMs`. */
export const fetchTransport =
  (timeoutMs: number): CaseTransport =>
  async (url, init) => {
    const started = performance.now();
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body,
      latencyMs: performance.now() - started,
    };
  };
