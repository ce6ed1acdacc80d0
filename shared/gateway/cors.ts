import type { ApiDefinition } from './api-definition.ts';

/**
 * An API's CORS policy (Fetch standard, "CORS protocol"): answers preflights and adds the CORS headers
 * to actual responses, problem+json answers included. Origins compare by scheme, host and port, with the
 * host case-insensitive and a default port the same as none; `null` and anything that is not a serialized
 * origin never match, not even `*`. `*` is ignored when the policy allows credentials.
 */
export type CorsSettings = NonNullable<ApiDefinition['cors']>;

export interface PreflightAnswer {
  statusCode: number;
  headers: Record<string, string>;
}

/** The caller answers this with a 403 `forbidden` problem carrying the reason. */
export interface PreflightRefusal {
  refused: true;
  reason: string;
}

export const DEFAULT_ALLOW_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];
export const DEFAULT_ALLOW_HEADERS = ['authorization', 'content-type', 'traceparent', 'x-request-id'];
export const DEFAULT_MAX_AGE_SECONDS = 600;
/** Headers the platform sets on every answer, which browser code needs to read. */
export const PLATFORM_EXPOSE_HEADERS = [
  'x-request-id',
  'ratelimit',
  'ratelimit-policy',
  'retry-after',
  'deprecation',
  'sunset',
  'link',
];

const PREFLIGHT_VARY = 'origin, access-control-request-method, access-control-request-headers';

/** What a browser sends: ASCII, scheme://host[:port], no path, no user info. */
const SERIALIZED_ORIGIN = /^([a-z][a-z0-9+.-]*):\/\/([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/i;

/** The comparable form of a request's Origin header, or undefined when it is not an origin. */
function requestOrigin(value: string): string | undefined {
  const match = SERIALIZED_ORIGIN.exec(value);
  if (!match) return undefined;
  const scheme = match[1]!.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return value.toLowerCase();
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
}

/** The comparable form of a configured `https://host[:port]` entry (IDN hosts included). */
function configuredOrigin(entry: string): string | undefined {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return undefined;
  }
  const bare = !url.username && !url.password && url.pathname === '/' && !url.search && !url.hash;
  return bare && (url.protocol === 'http:' || url.protocol === 'https:') ? url.origin : undefined;
}

function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

const commaList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

export class CorsPolicy {
  private readonly settings: CorsSettings | undefined;
  private readonly anyOrigin: boolean;
  private readonly origins: Set<string>;
  private readonly allowMethods: string[];
  private readonly allowedMethodSet: Set<string>;
  /** Undefined when any header is allowed (`*` in allowHeaders, without credentials). */
  private readonly allowedHeaderSet: Set<string> | undefined;
  private readonly exposeHeaders: string;

  constructor(settings: CorsSettings | undefined) {
    this.settings = settings;
    const credentials = settings?.allowCredentials === true;
    const origins = settings?.allowOrigins ?? [];
    this.anyOrigin = !credentials && origins.includes('*');
    this.origins = new Set(origins.map(configuredOrigin).filter((o): o is string => o !== undefined));
    this.allowMethods = settings?.allowMethods ?? DEFAULT_ALLOW_METHODS;
    this.allowedMethodSet = new Set(this.allowMethods.map((m) => m.toUpperCase()));
    const allowHeaders = (settings?.allowHeaders ?? DEFAULT_ALLOW_HEADERS).map((h) => h.toLowerCase());
    this.allowedHeaderSet = !credentials && allowHeaders.includes('*') ? undefined : new Set(allowHeaders);
    const expose = new Map<string, string>();
    for (const name of [...(settings?.exposeHeaders ?? []), ...PLATFORM_EXPOSE_HEADERS])
      if (!expose.has(name.toLowerCase())) expose.set(name.toLowerCase(), name);
    this.exposeHeaders = [...expose.values()].join(', ');
  }

  /** An OPTIONS request carrying `Origin` and `Access-Control-Request-Method`, whatever the API allows. */
  isPreflight(method: string, headers: Record<string, string | undefined>): boolean {
    return (
      method.toUpperCase() === 'OPTIONS' &&
      Boolean(headerValue(headers, 'origin')) &&
      Boolean(headerValue(headers, 'access-control-request-method'))
    );
  }

  /** Undefined when the API has no CORS settings: the caller then handles the OPTIONS request as usual. */
  preflight(headers: Record<string, string | undefined>): PreflightAnswer | PreflightRefusal | undefined {
    if (!this.settings) return undefined;
    const origin = headerValue(headers, 'origin');
    const method = headerValue(headers, 'access-control-request-method')?.trim();
    if (!origin || !method) {
      return refusal('A CORS preflight needs both Origin and Access-Control-Request-Method.');
    }
    const allowOrigin = this.allowOriginFor(origin);
    if (!allowOrigin) return refusal(`The origin ${origin} is not allowed to call this API.`);
    if (!this.allowedMethodSet.has(method.toUpperCase())) {
      return refusal(`The method ${method} is not allowed for cross-origin calls to this API.`);
    }
    const requested = commaList(headerValue(headers, 'access-control-request-headers')).map((h) =>
      h.toLowerCase(),
    );
    const allowed = this.allowedHeaderSet;
    const refusedHeaders = allowed ? requested.filter((name) => !allowed.has(name)) : [];
    if (refusedHeaders.length > 0) {
      return refusal(
        `The request headers ${refusedHeaders.join(', ')} are not allowed for cross-origin calls to this API.`,
      );
    }
    // With `*` the requested names are echoed rather than `*` sent, which browsers never apply to Authorization.
    const allowHeaders = allowed ? (this.settings.allowHeaders ?? DEFAULT_ALLOW_HEADERS) : requested;
    return {
      statusCode: 204,
      headers: {
        'access-control-allow-origin': allowOrigin,
        'access-control-allow-methods': this.allowMethods.join(', '),
        ...(allowHeaders.length > 0 ? { 'access-control-allow-headers': allowHeaders.join(', ') } : {}),
        'access-control-max-age': String(this.settings.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS),
        ...this.credentialsHeader(),
        vary: PREFLIGHT_VARY,
      },
    };
  }

  /**
   * The CORS headers for an actual (non-preflight) answer, success or problem. Whenever the API has CORS
   * settings the answer depends on Origin, so `vary: origin` is there even when nothing else is: a cached
   * answer to a request without Origin must not be reused for one with it. Merge `vary` with the
   * upstream's own Vary rather than overwrite it.
   */
  responseHeaders(requestHeaders: Record<string, string | undefined>): Record<string, string> {
    if (!this.settings) return {};
    const origin = headerValue(requestHeaders, 'origin');
    const allowOrigin = origin ? this.allowOriginFor(origin) : undefined;
    if (!allowOrigin) return { vary: 'origin' };
    return {
      'access-control-allow-origin': allowOrigin,
      'access-control-expose-headers': this.exposeHeaders,
      ...this.credentialsHeader(),
      vary: 'origin',
    };
  }

  /** The `access-control-allow-origin` value for this Origin, or undefined when it is not allowed. */
  private allowOriginFor(origin: string): string | undefined {
    const comparable = requestOrigin(origin);
    if (!comparable) return undefined;
    if (this.anyOrigin) return '*';
    return this.origins.has(comparable) ? origin : undefined;
  }

  private credentialsHeader(): Record<string, string> {
    return this.settings?.allowCredentials ? { 'access-control-allow-credentials': 'true' } : {};
  }
}

const refusal = (reason: string): PreflightRefusal => ({ refused: true, reason });
