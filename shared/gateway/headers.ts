/** RFC 9110 section 7.6.1 hop-by-hop headers, plus ones the platform owns or must not pass on. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);

/** Never forwarded upstream: the caller's credentials, and anything claiming to be our identity headers. */
const STRIPPED_FROM_CLIENT = new Set(['authorization', 'cookie', 'traceparent', 'tracestate', 'forwarded']);
const PLATFORM_PREFIXES = ['x-portico-', 'x-forwarded-', 'x-amzn-', 'x-amz-'];

/** Never returned to the caller: upstream internals. */
const STRIPPED_FROM_UPSTREAM = new Set(['server', 'x-powered-by', 'set-cookie', 'x-aspnet-version']);

export const IDENTITY_HEADERS = {
  appId: 'x-portico-app-id',
  clientId: 'x-portico-client-id',
  innerId: 'x-portico-inner-id',
  scopes: 'x-portico-scopes',
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

export function upstreamRequestHeaders(
  clientHeaders: Record<string, string | undefined>,
): Record<string, string> {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(clientHeaders))
    if (value !== undefined) lower[name.toLowerCase()] = value;
  const listed = connectionListed(lower);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(lower)) {
    if (HOP_BY_HOP.has(name) || listed.has(name) || STRIPPED_FROM_CLIENT.has(name)) continue;
    if (PLATFORM_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    out[name] = value;
  }
  return out;
}

export function clientResponseHeaders(upstream: Headers): Record<string, string> {
  const lower: Record<string, string> = {};
  upstream.forEach((value, name) => {
    lower[name.toLowerCase()] = value;
  });
  const listed = connectionListed(lower);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(lower)) {
    if (HOP_BY_HOP.has(name) || listed.has(name) || STRIPPED_FROM_UPSTREAM.has(name)) continue;
    if (name === 'content-encoding') continue; // fetch has already decoded the body
    out[name] = value;
  }
  return out;
}
