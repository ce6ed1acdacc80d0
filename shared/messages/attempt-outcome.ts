/**
 * What one webhook attempt came to, as the delivery state machine needs it. Standard Webhooks / Svix
 * semantics: a 2xx within the timeout is a success; 3xx counts as a failure (redirects are not
 * followed); 410 Gone means the endpoint is retired (the subscription is disabled); 429 and 503 ask the
 * sender to slow down and their `Retry-After` is honoured.
 */
/** Why an attempt failed; `undeliverable`: the platform itself could not process the delivery for days. */
export const ATTEMPT_ERROR_CLASSES = [
  'timeout',
  'connection',
  'egress-refused',
  'redirect',
  'client-error',
  'server-error',
  'throttled',
  'gone',
  'undeliverable',
] as const;

export type AttemptErrorClass = (typeof ATTEMPT_ERROR_CLASSES)[number];

export type AttemptOutcome =
  | { kind: 'delivered'; status: number }
  | { kind: 'failed'; errorClass: AttemptErrorClass; status?: number; retryAfterSeconds?: number };

/** The outcome of an HTTP answer. `retryAfter` is the raw header value, if any. */
export function outcomeOfStatus(status: number, retryAfter?: string): AttemptOutcome {
  if (status >= 200 && status <= 299) return { kind: 'delivered', status };
  if (status === 410) return { kind: 'failed', errorClass: 'gone', status };
  if (status === 429 || status === 503) {
    const seconds = retryAfterSeconds(retryAfter);
    return {
      kind: 'failed',
      errorClass: 'throttled',
      status,
      ...(seconds !== undefined ? { retryAfterSeconds: seconds } : {}),
    };
  }
  if (status >= 300 && status <= 399) return { kind: 'failed', errorClass: 'redirect', status };
  if (status >= 400 && status <= 499) return { kind: 'failed', errorClass: 'client-error', status };
  return { kind: 'failed', errorClass: 'server-error', status };
}

/** `Retry-After` as delay-seconds (RFC 9110); an HTTP-date is not honoured (clock skew), nor is garbage. */
export function retryAfterSeconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d{1,9}\s*$/.test(value)) return undefined;
  return Number(value.trim());
}
