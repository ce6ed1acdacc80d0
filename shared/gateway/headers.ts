/**
 * The headers that cross the gateway in either direction. The built-in stripping below is fixed; the
 * allow/deny lists an API configures are applied on top of it with `HeaderFilter`, so an API can narrow
 * what passes but never let through a header the platform removes.
 */

/** RFC 9110 section 7.6.1 hop-by-hop headers: they describe one connection, not the message. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** `proxy-authenticate`, `proxy-authorization`, `proxy-connection` and the like are hop-by-hop too. */
const HOP_BY_HOP_PREFIX = 'proxy-';

/** Framing and routing the runtime sets itself for the next hop. */
const RECOMPUTED = new Set(['host', 'content-length']);

/**
 * Never forwarded upstream: the caller's credentials, trace context the platform issues, claims about
 * the client's address (only the platform's `x-forwarded-for` may say that), and headers that make a
 * server act on another URL or method than the one the gateway routed and authorised.
 */
const STRIPPED_FROM_CLIENT = new Set([
  'authorization',
  'cookie',
  'traceparent',
  'tracestate',
  'forwarded',
  'x-real-ip',
  'true-client-ip',
  'x-client-ip',
  'x-cluster-client-ip',
  'cf-connecting-ip',
  'fastly-client-ip',
  'x-original-url',
  'x-rewrite-url',
  'x-http-method-override',
  'x-method-override',
  // The body is already here: there is nothing to continue.
  'expect',
]);
const PLATFORM_PREFIXES_FROM_CLIENT = ['x-portico-', 'x-forwarded-', 'x-amzn-', 'x-amz-'];

/** Never returned to the caller: upstream internals, and anything posing as the platform's own headers. */
const STRIPPED_FROM_UPSTREAM = new Set([
  'server',
  'x-powered-by',
  'set-cookie',
  'x-aspnet-version',
  // Would advertise the upstream's own endpoints to the client, bypassing the gateway.
  'alt-svc',
]);
const PLATFORM_PREFIXES_FROM_UPSTREAM = ['x-portico-', 'x-amzn-', 'x-amz-'];

export const IDENTITY_HEADERS = {
  appId: 'x-portico-app-id',
  clientId: 'x-portico-client-id',
  innerId: 'x-portico-inner-id',
  scopes: 'x-portico-scopes',
  sandbox: 'x-portico-sandbox',
} as const;

function connectionListed(headers: Record<string, string>): Set<string> {
  const value = headers.connection ?? '';
  return new Set(
    value
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
}

function isConnectionScoped(name: string, listed: Set<string>): boolean {
  return (
    HOP_BY_HOP.has(name) || name.startsWith(HOP_BY_HOP_PREFIX) || listed.has(name) || RECOMPUTED.has(name)
  );
}

const hasPrefix = (name: string, prefixes: string[]) => prefixes.some((prefix) => name.startsWith(prefix));

/** The client's headers as they may go upstream, names lower-cased. */
export function upstreamRequestHeaders(
  clientHeaders: Record<string, string | undefined>,
): Record<string, string> {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(clientHeaders))
    if (value !== undefined) lower[name.toLowerCase()] = value;
  const listed = connectionListed(lower);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(lower)) {
    if (isConnectionScoped(name, listed) || STRIPPED_FROM_CLIENT.has(name)) continue;
    if (hasPrefix(name, PLATFORM_PREFIXES_FROM_CLIENT)) continue;
    out[name] = value;
  }
  return out;
}

/**
 * The upstream's response headers as they may go back to the caller, names lower-cased. The body is
 * relayed as received, so `content-encoding` stays; repeated headers are joined with `, `.
 */
export function clientResponseHeaders(
  upstream: Headers | Record<string, string | string[] | undefined>,
): Record<string, string> {
  const lower: Record<string, string> = {};
  if (upstream instanceof Headers) {
    upstream.forEach((value, name) => {
      lower[name.toLowerCase()] = value;
    });
  } else {
    for (const [name, value] of Object.entries(upstream))
      if (value !== undefined) lower[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const listed = connectionListed(lower);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(lower)) {
    if (isConnectionScoped(name, listed) || STRIPPED_FROM_UPSTREAM.has(name)) continue;
    if (hasPrefix(name, PLATFORM_PREFIXES_FROM_UPSTREAM)) continue;
    out[name] = value;
  }
  return out;
}

export interface HeaderFilterSettings {
  allow?: string[];
  deny?: string[];
}

/**
 * An API's allow/deny list for one direction (`ApiDefinition.headers.request` or `.response`). Names
 * compare case-insensitively; a non-empty allow list keeps only what it lists; deny wins over allow.
 * Apply it to the output of `upstreamRequestHeaders` / `clientResponseHeaders`, before the platform adds
 * its own headers (identity, tracing, rate limits, CORS), so the lists only ever act on what the other
 * party sent.
 */
export class HeaderFilter {
  private readonly allow: Set<string> | undefined;
  private readonly deny: Set<string>;

  constructor(filter: HeaderFilterSettings = {}) {
    const lowered = (names: string[] = []) => new Set(names.map((name) => name.toLowerCase()));
    const allow = lowered(filter.allow);
    this.allow = allow.size > 0 ? allow : undefined;
    this.deny = lowered(filter.deny);
  }

  apply(headers: Record<string, string>): Record<string, string> {
    if (!this.allow && this.deny.size === 0) return { ...headers };
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase();
      if (this.deny.has(lower) || (this.allow && !this.allow.has(lower))) continue;
      out[name] = value;
    }
    return out;
  }
}
