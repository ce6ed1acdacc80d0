import http from 'node:http';
import { portico } from './platform.ts';

/** An answer with its body parsed as JSON when it is JSON, and as text otherwise. */
export async function call(path: string, init: RequestInit = {}) {
  const response = await fetch(`${portico().baseUrl}${path}`, init);
  const text = await response.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** `Authorization: Basic` for a client id and secret, form-encoded first as RFC 6749 §2.3.1 says. */
export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** A POST of `fields` as an `application/x-www-form-urlencoded` body. */
export const form = (fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields),
});

/** Calls made with `token` as a bearer token; a `send` body is sent as JSON. */
export const as = (token: string) => ({
  get: (path: string, headers: Record<string, string> = {}) =>
    call(path, { headers: { authorization: `Bearer ${token}`, ...headers } }),
  send: (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    call(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    }),
});

/**
 * A request sent exactly as written (fetch would normalise dot segments and `//` away), on a
 * connection of its own, to the platform or to `base`; never throws on the body.
 */
export function rawRequest(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: Buffer; base?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(init.base ?? portico().baseUrl);
    const request = http.request(
      { hostname, port, path, method: init.method ?? 'GET', headers: init.headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(init.body);
  });
}

/** A GET sent exactly as written (see `rawRequest`), with its JSON body parsed. */
export async function rawGet(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: any }> {
  const { status, text } = await rawRequest(path, { headers });
  return { status, body: JSON.parse(text || 'null') };
}

/** What a request answered and how long it took; a hang or a refused connection shows as status 0. */
export interface Timed {
  status: number;
  ms: number;
  contentType: string | null;
  retryAfter: string | null;
  body: any;
}

/** A request to `base` (the shared platform by default) that is given up after `timeoutMs` and never throws. */
export async function timed(
  path: string,
  init: RequestInit = {},
  { base = portico().baseUrl, timeoutMs = 35_000 }: { base?: string; timeoutMs?: number } = {},
): Promise<Timed> {
  const started = performance.now();
  try {
    const response = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return {
      status: response.status,
      ms: Math.round(performance.now() - started),
      contentType: response.headers.get('content-type'),
      retryAfter: response.headers.get('retry-after'),
      body,
    };
  } catch {
    return {
      status: 0,
      ms: Math.round(performance.now() - started),
      contentType: null,
      retryAfter: null,
      body: null,
    };
  }
}
