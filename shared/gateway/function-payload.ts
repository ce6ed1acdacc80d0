import { isUtf8 } from 'node:buffer';
import { MAX_RESPONSE_BYTES, type ProxiedRequest, UpstreamFailure } from './forward.ts';
import { clientResponseHeaders } from './headers.ts';

/**
 * What a Lambda upstream receives and answers: API Gateway's HTTP API payload 2.0, so a function
 * written for API Gateway serves as an internal API unchanged. Pure: no SDK, no I/O.
 */
export interface FunctionEvent {
  version: '2.0';
  routeKey: '$default';
  rawPath: string;
  rawQueryString: string;
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: '$default';
    stage: '$default';
    time: string;
    timeEpoch: number;
  };
  body?: string;
  isBase64Encoded: boolean;
}

/** Bodies API Gateway passes as text; any other body is base64 (so is text that is not UTF-8). */
const TEXT_TYPES =
  /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)\b|application\/[^;]*\+(json|xml)\b)/i;

/** A body as a JSON payload carries it: text when it is text, base64 otherwise. */
export function payloadBody(
  contentType: string | undefined,
  body: Buffer,
): { body?: string; isBase64Encoded: boolean } {
  if (body.length === 0) return { isBase64Encoded: false };
  const text = TEXT_TYPES.test(contentType ?? '') && isUtf8(body);
  return { body: text ? body.toString('utf8') : body.toString('base64'), isBase64Encoded: !text };
}

/**
 * The event for one call. `path` is what an HTTP server of the API would receive below its base (the
 * path after `/apis/{api}`); `headers` are the upstream headers (identity, identity token, trace).
 */
export function functionEvent(
  api: string,
  request: ProxiedRequest,
  headers: Record<string, string>,
  now: number,
): FunctionEvent {
  const rawPath = request.path || '/';
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(request.rawQueryString))
    query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: request.rawQueryString,
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'portico',
      apiId: api,
      domainName: 'portico.gateway',
      domainPrefix: 'portico',
      http: {
        method: request.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    ...payloadBody(headers['content-type'], request.body),
  };
}

interface FunctionResult {
  statusCode?: unknown;
  headers?: Record<string, unknown>;
  body?: unknown;
  isBase64Encoded?: unknown;
}

/**
 * The function's answer as the caller's HTTP answer, by API Gateway's payload 2.0 rules: a result with
 * `statusCode` is an HTTP response; anything else is a 200 whose JSON body is the result. A payload
 * that is not JSON, or a status out of range, is the upstream's fault (502).
 */
export function functionAnswer(payload: Uint8Array): {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
} {
  if (payload.length > MAX_RESPONSE_BYTES)
    throw new UpstreamFailure('broken', 'The upstream response is too large.');
  let result: unknown;
  try {
    result = payload.length === 0 ? null : JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    throw new UpstreamFailure('broken', 'The upstream function answered something other than JSON.');
  }
  if (result === null || typeof result !== 'object' || !('statusCode' in result)) {
    const body = typeof result === 'string' ? result : JSON.stringify(result);
    return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) };
  }
  const r = result as FunctionResult;
  const status = Number(r.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599)
    throw new UpstreamFailure('broken', 'The upstream function answered an invalid status code.');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(r.headers ?? {}))
    if (value !== undefined && value !== null) headers[name] = String(value);
  const text =
    typeof r.body === 'string'
      ? r.body
      : r.body === undefined || r.body === null
        ? ''
        : JSON.stringify(r.body);
  return {
    status,
    headers: clientResponseHeaders(headers),
    body: r.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8'),
  };
}
