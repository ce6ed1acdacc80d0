import type { CallRecord } from './call-record.ts';
import { type RedactedBody, redactBody, redactHeaders, redactQuery } from './redaction.ts';

/** What an API keeps of its calls' bodies in the request log (its definition's `requestLog`). */
export interface RequestLogPolicy {
  /** Bytes of each redacted body kept (0: none). */
  maxBodyBytes: number;
  /** JSON paths redacted in request and response bodies, beyond the secret names every log redacts. */
  redact: readonly string[];
}

export const DEFAULT_REQUEST_LOG_POLICY: RequestLogPolicy = { maxBodyBytes: 4_096, redact: [] };
export const MAX_LOGGED_BODY_BYTES = 65_536;

/**
 * A call as the gateway saw it, raw: kept by reference until the log is written, so the request pays
 * for no copy and no redaction. `call` is the call's analytics record, complete when the capture is
 * recorded.
 */
export interface CallCapture {
  call: CallRecord;
  spanId: string;
  parentSpanId?: string;
  rawQuery: string;
  requestHeaders: Readonly<Record<string, string | undefined>>;
  requestBody?: Buffer;
  response?: { headers: Readonly<Record<string, string>>; body?: Buffer | string };
  policy: RequestLogPolicy;
}

interface LoggedMessage extends RedactedBody {
  headers: Record<string, string>;
}

/** One call's full context, secrets redacted: a line of the request log. */
export interface RequestLogRecord extends Omit<CallRecord, 'v' | 'kind'> {
  v: 1;
  kind: 'request';
  spanId: string;
  parentSpanId?: string;
  /** The query string, secret parameters redacted. */
  query: string;
  request: LoggedMessage;
  response: LoggedMessage;
}

const contentTypeOf = (headers: Readonly<Record<string, string | undefined>>) =>
  Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];

/** The log line of a captured call: every header, query parameter and body redacted (redaction.ts). */
export function requestLogOf(capture: CallCapture): RequestLogRecord {
  const { v: _v, kind: _kind, ...call } = capture.call;
  const policy = { maxBytes: capture.policy.maxBodyBytes, paths: capture.policy.redact };
  const responseBody = capture.response?.body;
  return {
    v: 1,
    kind: 'request',
    ...call,
    spanId: capture.spanId,
    ...(capture.parentSpanId ? { parentSpanId: capture.parentSpanId } : {}),
    query: redactQuery(capture.rawQuery),
    request: {
      headers: redactHeaders(capture.requestHeaders),
      ...(capture.requestBody
        ? redactBody(capture.requestBody, contentTypeOf(capture.requestHeaders), policy)
        : {}),
    },
    response: {
      headers: redactHeaders(capture.response?.headers ?? {}),
      ...(responseBody !== undefined
        ? redactBody(
            typeof responseBody === 'string' ? Buffer.from(responseBody) : responseBody,
            contentTypeOf(capture.response?.headers ?? {}),
            policy,
          )
        : {}),
    },
  };
}
