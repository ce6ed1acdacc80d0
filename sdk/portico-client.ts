/**
 * A small client for third-party developers calling APIs published on Portico (Node.js 20+).
 * See sdk/README.md; the signature scheme is specified in shared/identity/request-signing.ts.
 */
import { signRequest } from '../shared/identity/request-signing.ts';

export interface PorticoClientOptions {
  /** The platform's base URL, e.g. `https://api.example.com` (no `/apis`). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Scope to ask for in token requests; by default everything granted to the app. */
  scope?: string;
  /** Milliseconds since the epoch; for tests. */
  now?: () => number;
}

export type PorticoAuth = 'token' | 'signature';

export type PorticoRequestInit = RequestInit & { auth?: PorticoAuth };

/** A failed token request, with what the platform said about it (RFC 6749 section 5.2 and RFC 9457). */
export class PorticoError extends Error {
  override name = 'PorticoError';

  constructor(
    readonly status: number,
    /** The OAuth `error` code, e.g. `invalid_client`. */
    readonly error: string | undefined,
    /** The problem `type`, e.g. `urn:portico:problem:oauth:invalid_client`. */
    readonly type: string | undefined,
    readonly description: string | undefined,
  ) {
    super(
      `The token request failed with status ${status}${error ? ` (${error})` : ''}${description ? `: ${description}` : ''}`,
    );
  }
}

/** Tokens are refreshed this long before they expire. */
const EXPIRY_MARGIN_S = 60;

/** RFC 6749 Appendix B: application/x-www-form-urlencoded, as required for Basic credentials (2.3.1). */
const formEncode = (value: string): string =>
  encodeURIComponent(value)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');

/** The bytes of a body that can be hashed for a signature, or a TypeError. */
function signableBody(body: RequestInit['body']): string | Uint8Array {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError(
    'A signed request needs its body as a string, a Uint8Array or URLSearchParams, so that it can be hashed.',
  );
}

const isReadableStream = (body: RequestInit['body']): boolean =>
  typeof ReadableStream !== 'undefined' && body instanceof ReadableStream;

/** The challenge Portico's gateway sends with a 401 for a missing, expired or revoked token. */
const GATEWAY_CHALLENGE = /^\s*Bearer\b.*\brealm="portico"/i;

export class PorticoClient {
  readonly baseUrl: string;
  readonly clientId: string;
  readonly scope: string | undefined;
  readonly #secret: string;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  #token: { value: string; refreshAt: number } | undefined;
  #inflight: Promise<string> | undefined;

  constructor(options: PorticoClientOptions) {
    if (!options.clientId || !options.clientSecret)
      throw new TypeError('clientId and clientSecret are required.');
    const base = new URL(options.baseUrl); // throws on an invalid URL
    if (base.search || base.hash) throw new TypeError('baseUrl may not carry a query or a fragment.');
    this.baseUrl = base.href.replace(/\/+$/, '');
    this.clientId = options.clientId;
    this.scope = options.scope;
    this.#secret = options.clientSecret;
    const fetchImpl = options.fetch;
    this.#fetch = fetchImpl ? (input, init) => fetchImpl(input, init) : (input, init) => fetch(input, init);
    this.#now = options.now ?? Date.now;
  }

  /**
   * An access token from the client credentials grant, cached until 60 s before it expires (half its
   * lifetime when that is under two minutes). Concurrent callers share one token request.
   */
  async accessToken(): Promise<string> {
    const token = this.#token;
    if (token && this.#now() < token.refreshAt) return token.value;
    this.#inflight ??= this.#requestToken().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /**
   * Calls `${baseUrl}/apis/${apiName}${path}` (path may carry a query) and returns the response as is.
   * `auth: 'token'` (the default) sends the access token, and on a 401 from the gateway gets a new
   * token and retries once; `auth: 'signature'` signs the request with the client secret instead.
   */
  async call(apiName: string, path: string, init: PorticoRequestInit = {}): Promise<Response> {
    const { auth = 'token', ...requestInit } = init;
    const url = this.#apiUrl(apiName, path);
    if (auth === 'signature') return this.#signedCall(url, requestInit);
    if (auth !== 'token') throw new TypeError(`auth must be 'token' or 'signature', not ${String(auth)}.`);

    const token = await this.accessToken();
    const response = await this.#send(url, requestInit, `Bearer ${token}`);
    const challenge = response.headers.get('www-authenticate') ?? '';
    if (response.status !== 401 || !GATEWAY_CHALLENGE.test(challenge) || isReadableStream(requestInit.body))
      return response;
    await response.body?.cancel().catch(() => {});
    if (this.#token?.value === token) this.#token = undefined;
    return this.#send(url, requestInit, `Bearer ${await this.accessToken()}`);
  }

  #apiUrl(apiName: string, path: string): URL {
    if (!apiName) throw new TypeError('apiName is required.');
    const suffix = path === '' || path.startsWith('/') || path.startsWith('?') ? path : `/${path}`;
    return new URL(`${this.baseUrl}/apis/${encodeURIComponent(apiName)}${suffix}`);
  }

  #send(url: URL, init: RequestInit, authorization: string): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', authorization);
    return this.#fetch(url, { ...init, headers });
  }

  async #signedCall(url: URL, init: RequestInit): Promise<Response> {
    const body = signableBody(init.body);
    const headers = new Headers(init.headers);
    if (init.body instanceof URLSearchParams && !headers.has('content-type'))
      headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
    const contentType = headers.get('content-type') ?? undefined;
    const { authorization } = signRequest(
      {
        method: init.method ?? 'GET',
        path: url.pathname,
        rawQueryString: url.search.slice(1),
        ...(contentType === undefined ? {} : { contentType }),
        body,
      },
      { clientId: this.clientId, secret: this.#secret },
    );
    headers.set('authorization', authorization);
    // Send exactly the bytes that were signed.
    const sent = init.body === undefined || init.body === null ? init.body : body;
    return this.#fetch(url, { ...init, headers, body: sent as RequestInit['body'] });
  }

  async #requestToken(): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.scope !== undefined) form.set('scope', this.scope);
    const credentials = `${formEncode(this.clientId)}:${formEncode(this.#secret)}`;
    const sentAt = this.#now();
    const response = await this.#fetch(`${this.baseUrl}/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
    });
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === 'object') json = parsed as Record<string, unknown>;
    } catch {
      // not JSON: reported below
    }
    const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
    if (!response.ok) {
      throw new PorticoError(
        response.status,
        str(json.error),
        str(json.type),
        str(json.error_description) ?? str(json.detail) ?? (text.slice(0, 200) || undefined),
      );
    }
    const accessToken = str(json.access_token);
    if (!accessToken)
      throw new PorticoError(
        response.status,
        undefined,
        undefined,
        'The token response has no access_token.',
      );
    const expiresIn = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : 0;
    const lifetime = expiresIn > 2 * EXPIRY_MARGIN_S ? expiresIn - EXPIRY_MARGIN_S : expiresIn / 2;
    this.#token = { value: accessToken, refreshAt: sentAt + lifetime * 1000 };
    return accessToken;
  }
}
