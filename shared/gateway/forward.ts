import { ProblemError } from '../http/problem.ts';
import { formatTraceparent, type TraceContext } from '../tracing/traceparent.ts';
import type { ApiDefinition } from './api-definition.ts';
import { clientResponseHeaders, IDENTITY_HEADERS, upstreamRequestHeaders } from './headers.ts';

/** Lambda's synchronous response limit; larger upstream answers cannot be relayed. */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024 - 64 * 1024;

export interface CallerIdentity {
  appId: string;
  clientId: string;
  innerId?: string;
  scopes: string[];
}

export interface ProxiedRequest {
  method: string;
  /** The path after `/apis/{apiName}`, still percent-encoded, starting with `/` (or empty). */
  path: string;
  rawQueryString: string;
  headers: Record<string, string | undefined>;
  body: Buffer;
  sourceIp: string;
  requestId: string;
}

export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  upstreamLatencyMs: number;
}

const DOT_SEGMENT = /(^|\/)(\.|%2e){1,2}(\/|$)/i;

/** Joins the upstream base and the request path without letting dot segments climb out of the base. */
export function upstreamUrl(base: string, path: string, rawQueryString: string): URL {
  if (DOT_SEGMENT.test(path) || /%2f|%5c|\\/i.test(path)) {
    throw new ProblemError('bad-request', 'The path may not contain dot segments or encoded slashes.');
  }
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/$/, '')}${path}`;
  url.search = rawQueryString ? `?${rawQueryString}` : '';
  return url;
}

export async function forward(
  api: ApiDefinition,
  request: ProxiedRequest,
  identity: CallerIdentity,
  trace: TraceContext,
  fetchImpl: typeof fetch = fetch,
): Promise<UpstreamAnswer> {
  const upstream = api.upstreams[0]!;
  const url = upstreamUrl(upstream.url, request.path, request.rawQueryString);
  const headers: Record<string, string> = {
    ...upstreamRequestHeaders(request.headers),
    [IDENTITY_HEADERS.appId]: identity.appId,
    [IDENTITY_HEADERS.clientId]: identity.clientId,
    [IDENTITY_HEADERS.scopes]: identity.scopes.join(' '),
    ...(identity.innerId ? { [IDENTITY_HEADERS.innerId]: identity.innerId } : {}),
    'x-request-id': request.requestId,
    'x-forwarded-for': request.sourceIp,
    traceparent: formatTraceparent(trace),
  };
  const hasBody = request.body.length > 0 && !['GET', 'HEAD'].includes(request.method);
  const started = performance.now();
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: request.method,
      headers,
      ...(hasBody ? { body: request.body } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(api.timeoutMs),
    });
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') {
      throw new ProblemError('upstream-timeout', `The upstream did not answer within ${api.timeoutMs} ms.`);
    }
    throw new ProblemError('bad-gateway', 'The upstream could not be reached.');
  }
  let body: Buffer;
  try {
    body = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') {
      throw new ProblemError('upstream-timeout', `The upstream did not finish within ${api.timeoutMs} ms.`);
    }
    throw new ProblemError('bad-gateway', 'The upstream connection failed mid-response.');
  }
  if (body.length > MAX_RESPONSE_BYTES)
    throw new ProblemError('bad-gateway', 'The upstream response is too large.');
  return {
    status: response.status,
    headers: clientResponseHeaders(response.headers),
    body,
    upstreamLatencyMs: performance.now() - started,
  };
}
