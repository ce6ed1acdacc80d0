import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, type ProblemCode, problemCodes, problemType } from '../shared/http/problem.ts';

/**
 * Guards for every server the local runtime starts. A request handler that throws or rejects, or a
 * request the HTTP parser refuses, costs that one request, never the process: an unhandled rejection
 * from an async request listener would otherwise end `npm start`.
 */

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
export type Log = (line: string) => void;

const newRequestId = () => randomBytes(12).toString('base64url');

function problemJson(code: ProblemCode, status: number, requestId: string, detail?: string): string {
  return JSON.stringify({
    type: problemType(code),
    title: problemCodes[code].title,
    status,
    ...(detail ? { detail } : {}),
    instance: requestId,
  });
}

function safeLog(log: Log, line: string): void {
  try {
    log(line);
  } catch {
    // A failing logger must not turn a handled failure into an unhandled one.
  }
}

/**
 * Wraps `handler` so that a synchronous throw or a rejection becomes a 500 problem+json for that
 * request when nothing was sent yet, or ends that one connection when the answer had started, and is
 * logged; the server goes on serving.
 */
export function safeHandler(
  handler: RequestHandler,
  log: Log,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const fail = (error: unknown) => {
      const requestId = newRequestId();
      safeLog(
        log,
        `${req.method} ${req.url} failed (${requestId}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      if (res.headersSent || res.destroyed || req.socket.destroyed) {
        res.destroy();
        return;
      }
      try {
        for (const name of res.getHeaderNames()) res.removeHeader(name);
        const body = problemJson('internal', 500, requestId);
        res.writeHead(500, {
          'content-type': PROBLEM_CONTENT_TYPE,
          'content-length': Buffer.byteLength(body),
          'x-request-id': requestId,
        });
        res.end(body);
      } catch {
        res.destroy();
      }
    };
    try {
      Promise.resolve(handler(req, res)).catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}

/** What to answer for each refusal of Node's HTTP parser; anything else is a 400. */
function refusal(error: NodeJS.ErrnoException & { reason?: unknown }, maxHeaderSize: number) {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        code: 'bad-request' as const,
        detail: `The request line and headers may hold at most ${maxHeaderSize} bytes.`,
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return {
        status: 413,
        code: 'payload-too-large' as const,
        detail: 'The chunk extensions are too large.',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'bad-request' as const, detail: 'The request was not received in time.' };
    default: {
      // llhttp's reasons are fixed texts ("Invalid header value char"), never the request's own bytes.
      const reason = typeof error.reason === 'string' ? error.reason.slice(0, 120) : undefined;
      return {
        status: 400,
        code: 'bad-request' as const,
        detail: `The request is not valid HTTP/1.1${reason ? `: ${reason}` : ''}.`,
      };
    }
  }
}

/**
 * Answers the parser's refusals (smuggling attempts such as Content-Length with Transfer-Encoding, bad
 * chunked framing, invalid header characters, oversized headers) with a complete problem+json
 * response instead of Node's bare status line, then closes the connection. Nothing is written when an
 * answer on that connection has already started, as Node itself does.
 */
export function answerClientErrors(server: http.Server, log: Log): void {
  const inFlight = new WeakMap<Duplex, ServerResponse>();
  const answered = new WeakSet<Duplex>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    inFlight.set(req.socket, res);
    res.once('close', () => {
      if (inFlight.get(req.socket) === res) inFlight.delete(req.socket);
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // The parser reports its error again for every later chunk: those are being drained.
    if (answered.has(socket)) return;
    const started = inFlight.get(socket)?.headersSent ?? false;
    if (error.code === 'ECONNRESET' || !socket.writable || started) {
      socket.destroy();
      return;
    }
    answered.add(socket);
    const requestId = newRequestId();
    const answer = refusal(error, http.maxHeaderSize);
    safeLog(log, `refused a malformed request (${requestId}): ${error.code ?? error.message}`);
    const body = problemJson(answer.code, answer.status, requestId, answer.detail);
    const head = [
      `HTTP/1.1 ${answer.status} ${http.STATUS_CODES[answer.status]}`,
      `content-type: ${PROBLEM_CONTENT_TYPE}`,
      `content-length: ${Buffer.byteLength(body)}`,
      `x-request-id: ${requestId}`,
      'connection: close',
    ].join('\r\n');
    // Closing while the peer's bytes are still unread would send a reset, which can discard the
    // answer before the peer reads it; so the rest is read and dropped until the peer closes, or
    // for a few seconds at most.
    const timer = setTimeout(() => socket.destroy(), 3000);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.on('error', () => socket.destroy());
    socket.end(`${head}\r\n\r\n${body}`);
    socket.resume();
  });
}
