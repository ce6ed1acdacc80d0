import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { RouteTable } from './http-routes.ts';
import { type LambdaHost, LambdaThrottledError, LambdaTimeoutError } from './lambda-host.ts';
import { answerClientErrors, safeHandler } from './safe-handler.ts';
import { LOCAL_ACCOUNT } from './template.ts';

/** API Gateway's own payload limit. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/**
 * Bodies an HTTP API (payload 2.0) passes as text; any other body arrives base64-encoded, forms
 * included. A text-typed body that is not valid UTF-8 is passed as base64 too, so the handler sees the
 * bytes that were sent and can refuse them, rather than U+FFFD in their place.
 */
const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript)\b|application\/[^;]*\+(json|xml)\b)/i;

export type ControlHandler = (
  req: IncomingMessage,
  body: Buffer,
) => Promise<{ status: number; body: unknown } | undefined>;

interface LambdaHttpResult {
  statusCode?: number;
  headers?: Record<string, string | number | boolean>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | string[]>,
  body: Buffer | string,
) {
  res.writeHead(status, headers);
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) return 'too large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Builds the API Gateway HTTP API payload 2.0 event, as the cloud would for this request. */
export function toEvent(
  req: IncomingMessage,
  body: Buffer,
  match: { routeKey: string; pathParameters: Record<string, string> },
  requestId: string,
): APIGatewayProxyEventV2 {
  const target = req.url ?? '/';
  const queryStart = target.indexOf('?');
  // Only the query goes through URL: parsed as a reference, a target such as `//x` names a host.
  const url = new URL(`http://local/${queryStart < 0 ? '' : target.slice(queryStart)}`);
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    const value = req.rawHeaders[i + 1]!;
    if (name === 'cookie')
      cookies.push(
        ...value
          .split(';')
          .map((c) => c.trim())
          .filter(Boolean),
      );
    else headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const isText = TEXT_TYPES.test(headers['content-type'] ?? '') && isUtf8(body);
  const now = new Date();
  const rawPath = queryStart < 0 ? target : target.slice(0, queryStart);
  return {
    version: '2.0',
    routeKey: match.routeKey,
    rawPath,
    rawQueryString: url.search.slice(1),
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(match.pathParameters).length ? { pathParameters: match.pathParameters } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0]!,
      http: {
        method: req.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: match.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

/** Maps a handler's result to HTTP as API Gateway does for payload 2.0 (including its inference rules). */
function writeResult(res: ServerResponse, result: unknown, requestId: string) {
  const base = { 'apigw-requestid': requestId };
  if (result === null || typeof result !== 'object' || !('statusCode' in result)) {
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    send(res, 200, { ...base, 'content-type': 'application/json' }, body);
    return;
  }
  const r = result as LambdaHttpResult;
  const headers: Record<string, string | string[]> = { ...base };
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
  if (r.cookies?.length) headers['set-cookie'] = r.cookies;
  const body = r.body === undefined ? '' : r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body;
  send(res, r.statusCode ?? 200, headers, body);
}

export function createApiServer(options: {
  routes: RouteTable<string>;
  host: LambdaHost;
  log: (line: string) => void;
  control?: ControlHandler;
  /** The web app's files, for the paths that are not the API's: answers whether it served the request. */
  web?: (req: IncomingMessage, res: ServerResponse) => boolean;
  accessLog?: boolean;
}): http.Server {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const requestId = randomBytes(12).toString('base64url');
    res.on('finish', () => {
      if (options.accessLog) {
        options.log(
          `${req.method} ${req.url} → ${res.statusCode} (${(performance.now() - started).toFixed(1)} ms)`,
        );
      }
    });
    try {
      if (!req.url?.startsWith('/')) {
        send(res, 400, { 'content-type': 'application/json' }, '{"message":"Bad Request"}');
        return;
      }
      const body = await readBody(req);
      if (body === 'too large') {
        send(res, 413, { 'content-type': 'application/json' }, '{"message":"Request Entity Too Large"}');
        return;
      }
      const control = await options.control?.(req, body);
      if (control) {
        send(res, control.status, { 'content-type': 'application/json' }, JSON.stringify(control.body));
        return;
      }
      if (options.web?.(req, res)) return;
      const match = options.routes.match(req.method ?? 'GET', (req.url ?? '/').split('?')[0]!);
      if (!match) {
        send(res, 404, { 'content-type': 'application/json' }, '{"message":"Not Found"}');
        return;
      }
      const result = await options.host.invoke(match.route, toEvent(req, body, match, requestId));
      writeResult(res, result, requestId);
    } catch (error) {
      const timedOut = error instanceof LambdaTimeoutError;
      // A throttled function never ran: API Gateway answers its own 500, as below, without a trace.
      if (error instanceof LambdaThrottledError) options.log(`${req.method} ${req.url}: ${error.message}`);
      else options.log(`${req.method} ${req.url} failed: ${(error as Error).stack ?? error}`);
      if (!res.headersSent) {
        send(
          res,
          timedOut ? 503 : 500,
          { 'content-type': 'application/json', 'apigw-requestid': requestId },
          timedOut ? '{"message":"Service Unavailable"}' : '{"message":"Internal Server Error"}',
        );
      } else {
        res.destroy();
      }
    }
  };
  const server = http.createServer(safeHandler(handle, options.log));
  answerClientErrors(server, options.log);
  // Like API Gateway, keep idle connections longer than clients do (undici: 4 s), so a client never
  // reuses a connection the server is closing at that moment.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}
