import { IDENTITY_TOKEN_HEADER } from '../identity/identity-token.ts';
import { DomainError } from '../kernel/errors.ts';
import { formatTraceparent, type TraceContext } from '../tracing/traceparent.ts';
import { IDENTITY_HEADERS, upstreamRequestHeaders } from './headers.ts';

/** Lambda's synchronous response limit; larger upstream answers cannot be relayed. */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024 - 64 * 1024;

export interface CallerIdentity {
  appId: string;
  clientId: string;
  innerId?: string;
  scopes: string[];
  /** A sandbox credential: its calls never reach the production upstreams. */
  sandbox: boolean;
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

const DOT_SEGMENT = /(^|\/)(\.|%2e){1,2}(\/|$)/i;

/** Refuses paths that could climb out of an upstream's base path once joined to it. */
export function assertSafePath(path: string): void {
  if (DOT_SEGMENT.test(path) || /%2f|%5c|\\/i.test(path)) {
    throw new DomainError('bad-request', 'The path may not contain dot segments or encoded slashes.');
  }
}

/** Joins the upstream base and the request path without letting dot segments climb out of the base. */
export function upstreamUrl(base: string, path: string, rawQueryString: string): URL {
  assertSafePath(path);
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/$/, '')}${path}`;
  url.search = rawQueryString ? `?${rawQueryString}` : '';
  return url;
}

/**
 * The headers an upstream receives: the caller's, less hop-by-hop, credential and spoofed platform
 * headers (then the API's own filter), plus the verified identity (as plain headers and, when given,
 * as the signed identity token) and the trace context, which only the gateway can set.
 */
export function headersForUpstream(
  request: ProxiedRequest,
  identity: CallerIdentity,
  trace: TraceContext,
  filter: (headers: Record<string, string>) => Record<string, string> = (h) => h,
  identityToken?: string,
): Record<string, string> {
  return {
    ...filter(upstreamRequestHeaders(request.headers)),
    [IDENTITY_HEADERS.appId]: identity.appId,
    [IDENTITY_HEADERS.clientId]: identity.clientId,
    [IDENTITY_HEADERS.scopes]: identity.scopes.join(' '),
    ...(identity.innerId ? { [IDENTITY_HEADERS.innerId]: identity.innerId } : {}),
    ...(identity.sandbox ? { [IDENTITY_HEADERS.sandbox]: 'true' } : {}),
    ...(identityToken ? { [IDENTITY_TOKEN_HEADER]: identityToken } : {}),
    'x-request-id': request.requestId,
    'x-forwarded-for': request.sourceIp,
    traceparent: formatTraceparent(trace),
  };
}

/**
 * A call that got no usable answer. `refused`: the connection was never made, so the request certainly
 * did not run and may be sent to another server; `timeout`; `unavailable`: the upstream service turned
 * the call away without running it (a throttled function, a queue that did not take the message: 503);
 * `broken`: anything else.
 */
export class UpstreamFailure extends DomainError {
  constructor(
    readonly kind: 'refused' | 'timeout' | 'unavailable' | 'broken',
    detail: string,
  ) {
    super(
      kind === 'timeout'
        ? 'upstream-timeout'
        : kind === 'unavailable'
          ? 'service-unavailable'
          : 'bad-gateway',
      detail,
    );
  }
}

/** Socket errors that mean the connection was never made. */
export const NEVER_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
