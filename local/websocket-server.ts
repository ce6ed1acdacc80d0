import { randomBytes, randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { LambdaHost } from './lambda-host.ts';
import type { LocalWebSocketApi, LocalWebSocketRoute } from './plan.ts';

/** API Gateway closes a connection on which the client sent nothing for 10 minutes… */
export const IDLE_TIMEOUT_MS = 10 * 60_000;
/** …and every connection after 2 hours. */
export const MAX_CONNECTION_MS = 2 * 3_600_000;
/** API Gateway's largest WebSocket message. */
const MAX_MESSAGE_BYTES = 128 * 1024;

interface LiveConnection {
  id: string;
  socket: WebSocket;
  stage: string;
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
  userAgent: string;
  headers: Record<string, string>;
  idle?: NodeJS.Timeout;
  max: NodeJS.Timeout;
  /** Closed by the management API, the idle or the duration limit: the reason `$disconnect` is told. */
  closedBy?: string;
}

export interface WebSocketApiServerOptions {
  api: LocalWebSocketApi;
  host: Pick<LambdaHost, 'invoke'>;
  log: (line: string) => void;
  accessLog?: boolean;
  idleTimeoutMs?: number;
  maxConnectionMs?: number;
}

/** API Gateway's `requestTime`: `09/Apr/2015:12:34:56 +0000`. */
function requestTime(at: Date): string {
  const [, day, month, year, time] = /^\w+, (\d+) (\w+) (\d+) ([\d:]+)/.exec(at.toUTCString())!;
  return `${day!.padStart(2, '0')}/${month}/${year}:${time} +0000`;
}

/** A connection id as API Gateway writes them (`L0SM9cOFvHcCIhw=`), safe in a URL path as it is. */
const newConnectionId = () => `${randomBytes(11).toString('base64url')}=`;

function singleAndMulti(rawHeaders: string[]) {
  const headers: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const value = rawHeaders[i + 1]!;
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
    multi[name] = [...(multi[name] ?? []), value];
  }
  return { headers, multiValueHeaders: multi };
}

const refuse = (socket: Duplex, status: number, body = '') => {
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\nconnection: close\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
};

/**
 * One API Gateway WebSocket API on a loopback port of its own (its own origin, as in the cloud): the
 * stage path upgrades to a WebSocket, routed by the template's routes with API Gateway's event shapes
 * (`$connect` can refuse the upgrade with its status; a route with a route response answers with its
 * body), connections closed after 10 idle minutes and after 2 hours, and the stage's management API
 * (`POST|GET|DELETE /<stage>/@connections/<id>`, 410 GoneException for a connection that is not open).
 */
export class WebSocketApiServer {
  readonly server: http.Server;
  private readonly sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  private readonly connections = new Map<string, LiveConnection>();
  private readonly routes = new Map<string, LocalWebSocketRoute>();
  private ready = false;
  private domainName = '127.0.0.1';

  constructor(private readonly options: WebSocketApiServerOptions) {
    for (const route of options.api.routes) this.routes.set(route.routeKey, route);
    this.server = http.createServer((req, res) => {
      this.manage(req, res).catch((error) => {
        options.log(`${req.method} ${req.url} failed: ${(error as Error).stack ?? error}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.server.on('upgrade', (req, socket, head) => {
      socket.on('error', () => undefined);
      this.upgrade(req, socket, head).catch((error) => {
        options.log(`WebSocket upgrade failed: ${(error as Error).stack ?? error}`);
        refuse(socket, 500, '{"message":"Internal server error"}');
      });
    });
  }

  /** Listens on `port` (0: a free one) of the loopback interface; the API's endpoint is `ws://…`. */
  async listen(port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const { port: bound } = this.server.address() as { port: number };
    this.domainName = `127.0.0.1:${bound}`;
    return `ws://${this.domainName}`;
  }

  /** Starts accepting connections (the handlers are loaded); before, upgrades are refused with 503. */
  open(): void {
    this.ready = true;
  }

  async close(): Promise<void> {
    for (const connection of this.connections.values()) {
      clearTimeout(connection.idle);
      clearTimeout(connection.max);
      connection.socket.terminate();
    }
    this.connections.clear();
    this.sockets.close();
    await new Promise<void>((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private stageOf(path: string): string | undefined {
    const stage = path.replace(/^\/+|\/+$/g, '');
    return this.options.api.stageNames.includes(stage) ? stage : undefined;
  }

  private requestContext(
    connection: Pick<LiveConnection, 'id' | 'stage' | 'connectedAt' | 'sourceIp' | 'userAgent'>,
    routeKey: string,
    eventType: string,
  ) {
    const now = new Date();
    return {
      routeKey,
      eventType,
      extendedRequestId: randomBytes(8).toString('base64url'),
      requestTime: requestTime(now),
      messageDirection: 'IN',
      stage: connection.stage,
      connectedAt: connection.connectedAt,
      requestTimeEpoch: now.getTime(),
      identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
      requestId: randomBytes(8).toString('base64url'),
      domainName: this.domainName,
      connectionId: connection.id,
      apiId: this.options.api.id.logicalId,
    };
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const target = new URL(req.url ?? '/', 'http://local');
    const stage = this.stageOf(target.pathname);
    if (!stage) return refuse(socket, 404, '{"message":"Not Found"}');
    if (!this.ready) return refuse(socket, 503, '{"message":"Service Unavailable"}');
    if (req.headers.upgrade?.toLowerCase() !== 'websocket' || !req.headers['sec-websocket-key']) {
      return refuse(socket, 400, '{"message":"Bad Request"}');
    }
    const { headers, multiValueHeaders } = singleAndMulti(req.rawHeaders);
    const query: Record<string, string> = {};
    const multiQuery: Record<string, string[]> = {};
    for (const [k, v] of target.searchParams) {
      query[k] = v;
      multiQuery[k] = [...(multiQuery[k] ?? []), v];
    }
    const pending = {
      id: newConnectionId(),
      stage,
      connectedAt: Date.now(),
      sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      userAgent: req.headers['user-agent'] ?? '',
    };
    const connect = this.routes.get('$connect');
    if (connect) {
      const event = {
        headers,
        multiValueHeaders,
        ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
        ...(Object.keys(multiQuery).length ? { multiValueQueryStringParameters: multiQuery } : {}),
        requestContext: this.requestContext(pending, '$connect', 'CONNECT'),
        isBase64Encoded: false,
      };
      const result = (await this.options.host.invoke(connect.functionId, event)) as
        | { statusCode?: number; body?: string }
        | undefined;
      const status = result?.statusCode ?? 200;
      this.accessLog(`CONNECT ${target.pathname} → ${status}`);
      if (status < 200 || status > 299) return refuse(socket, status, result?.body ?? '');
    }
    this.sockets.handleUpgrade(req, socket, head, (ws) => this.opened(ws, { ...pending, headers }));
  }

  private opened(socket: WebSocket, pending: Omit<LiveConnection, 'socket' | 'lastActiveAt' | 'max'>) {
    const connection: LiveConnection = {
      ...pending,
      socket,
      lastActiveAt: Date.now(),
      max: setTimeout(
        () => this.end(connection, 'max duration'),
        this.options.maxConnectionMs ?? MAX_CONNECTION_MS,
      ),
    };
    this.connections.set(connection.id, connection);
    this.touch(connection);
    socket.on('message', (data, isBinary) => {
      this.touch(connection);
      void this.message(connection, data, isBinary);
    });
    socket.on('error', () => undefined);
    socket.on('close', (code, reason) => void this.closed(connection, code, reason.toString()));
  }

  private touch(connection: LiveConnection) {
    connection.lastActiveAt = Date.now();
    clearTimeout(connection.idle);
    connection.idle = setTimeout(
      () => this.end(connection, 'idle'),
      this.options.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
    );
  }

  private end(connection: LiveConnection, why: string) {
    connection.closedBy ??= why;
    connection.socket.close(1001, 'Going away');
    // A client that does not answer the close handshake is cut off.
    setTimeout(() => connection.socket.terminate(), 1_000).unref();
  }

  private async message(connection: LiveConnection, data: RawData, isBinary: boolean) {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    const text = isBinary ? undefined : bytes.toString('utf8');
    let selected: unknown;
    try {
      selected =
        text === undefined
          ? undefined
          : (JSON.parse(text) as Record<string, unknown>)?.[this.options.api.selectionField];
    } catch {
      selected = undefined;
    }
    const route =
      (typeof selected === 'string' ? this.routes.get(selected) : undefined) ?? this.routes.get('$default');
    const context = this.requestContext(connection, route?.routeKey ?? '$default', 'MESSAGE');
    if (!route) {
      connection.socket.send(
        JSON.stringify({ message: 'Forbidden', connectionId: connection.id, requestId: context.requestId }),
      );
      return;
    }
    const event = {
      requestContext: { ...context, messageId: randomUUID() },
      body: text ?? bytes.toString('base64'),
      isBase64Encoded: text === undefined,
    };
    try {
      const result = (await this.options.host.invoke(route.functionId, event)) as
        | { body?: unknown }
        | undefined;
      this.accessLog(`MESSAGE ${route.routeKey} (${connection.id})`);
      if (
        route.answers &&
        result?.body !== undefined &&
        connection.socket.readyState === connection.socket.OPEN
      ) {
        connection.socket.send(typeof result.body === 'string' ? result.body : JSON.stringify(result.body));
      }
    } catch (error) {
      this.options.log(`WebSocket ${route.routeKey} failed: ${(error as Error).stack ?? error}`);
      if (connection.socket.readyState === connection.socket.OPEN) {
        connection.socket.send(
          JSON.stringify({
            message: 'Internal server error',
            connectionId: connection.id,
            requestId: context.requestId,
          }),
        );
      }
    }
  }

  private async closed(connection: LiveConnection, code: number, reason: string) {
    clearTimeout(connection.idle);
    clearTimeout(connection.max);
    if (this.connections.get(connection.id) !== connection) return;
    this.connections.delete(connection.id);
    const disconnect = this.routes.get('$disconnect');
    if (!disconnect) return;
    const event = {
      headers: connection.headers,
      requestContext: {
        ...this.requestContext(connection, '$disconnect', 'DISCONNECT'),
        disconnectStatusCode: code,
        disconnectReason: connection.closedBy ?? reason,
      },
      isBase64Encoded: false,
    };
    try {
      await this.options.host.invoke(disconnect.functionId, event);
      this.accessLog(`DISCONNECT (${connection.id}) ${code}`);
    } catch (error) {
      this.options.log(`WebSocket $disconnect failed: ${(error as Error).stack ?? error}`);
    }
  }

  /** The stage's management API, as the functions' ApiGatewayManagementApiClient calls it. */
  private async manage(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/([^/]+)\/@connections\/([^/?]+)$/.exec((req.url ?? '').split('?')[0]!);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    if (!match || !this.stageOf(match[1]!)) return void json(404, { message: 'Not Found' });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const connectionId = decodeURIComponent(match[2]!);
    const connection = this.connections.get(connectionId);
    if (
      !connection ||
      connection.stage !== match[1] ||
      connection.socket.readyState !== connection.socket.OPEN
    ) {
      return void json(
        410,
        { message: 'The connection is not open' },
        { 'x-amzn-errortype': 'GoneException' },
      );
    }
    switch (req.method) {
      case 'POST': {
        const data = Buffer.concat(chunks);
        if (data.length > MAX_MESSAGE_BYTES) {
          return void json(
            413,
            { message: 'Message too long' },
            { 'x-amzn-errortype': 'PayloadTooLargeException' },
          );
        }
        connection.socket.send(data.toString('utf8'));
        return void res.writeHead(200).end();
      }
      case 'GET':
        return void json(200, {
          connectedAt: new Date(connection.connectedAt).toISOString(),
          identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
          lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
        });
      case 'DELETE':
        this.end(connection, 'deleted by the backend');
        return void res.writeHead(204).end();
      default:
        return void json(405, { message: 'Method Not Allowed' });
    }
  }

  private accessLog(line: string) {
    if (this.options.accessLog) this.options.log(`WS ${line}`);
  }
}
