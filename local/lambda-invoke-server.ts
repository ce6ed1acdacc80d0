import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type LambdaHost, LambdaTimeoutError } from './lambda-host.ts';

/** Lambda's synchronous invocation payload limit. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/?]+)\/invocations(?:\?.*)?$/;

export interface LambdaInvokeServer {
  /** The endpoint to give a Lambda client (`AWS_ENDPOINT_URL_LAMBDA`). */
  url: string;
  close(): Promise<void>;
}

/**
 * The function name out of what `FunctionName` may be: a name, `name:qualifier`, or a (partial) ARN.
 * Locally a qualifier selects nothing: the function's current code always runs.
 */
export function functionNameOf(given: string): string {
  const arn = /^(?:arn:[^:]+:lambda:[^:]+:)?(?:\d{12}:)?function:([^:]+)(?::.+)?$/.exec(given);
  if (arn) return arn[1]!;
  return given.split(':')[0]!;
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}

/** An error of the Lambda API itself, as the SDK reads it (restJson1: `x-amzn-ErrorType`). */
function apiError(res: ServerResponse, status: number, type: string, message: string): void {
  send(res, status, { 'x-amzn-errortype': type }, JSON.stringify({ Type: 'User', message }));
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** What Lambda answers for a function that threw or ran out of time (with `X-Amz-Function-Error`). */
function functionError(error: unknown, timeoutMs: number | undefined, requestId: string) {
  if (error instanceof LambdaTimeoutError) {
    const seconds = ((timeoutMs ?? 0) / 1000).toFixed(2);
    return {
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds`,
    };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return {
    errorType: e.name,
    errorMessage: e.message,
    trace: (e.stack ?? '')
      .split('\n')
      .slice(1, 11)
      .map((line) => line.trim()),
  };
}

/**
 * A Lambda-compatible Invoke endpoint (`POST /2015-03-31/functions/{FunctionName}/invocations`, as
 * `sam local start-lambda` serves it) for the functions of the synthesized template, run in this
 * process by `host` with their configured timeouts. `functions` maps each function's name (its
 * `FunctionName`, or the local name the runtime gave it) to its id in the plan.
 *
 * `X-Amz-Invocation-Type`: `RequestResponse` (the default) answers 200 with the result, and with
 * `X-Amz-Function-Error: Unhandled` when the function threw or timed out; `Event` answers 202 and runs
 * the function in the background; `DryRun` answers 204.
 */
export async function startLambdaInvokeServer(options: {
  host: Pick<LambdaHost, 'invoke'>;
  functions: ReadonlyMap<string, { id: string; timeoutMs?: number }>;
  log: (line: string) => void;
  port?: number;
}): Promise<LambdaInvokeServer> {
  const { host, functions, log } = options;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const match = INVOKE_PATH.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) {
      apiError(res, 404, 'UnknownOperationException', 'Only Invoke is served locally.');
      return;
    }
    const name = functionNameOf(decodeURIComponent(match[1]!));
    const fn = functions.get(name);
    if (!fn) {
      apiError(res, 404, 'ResourceNotFoundException', `Function not found: ${name}`);
      return;
    }
    const body = await readBody(req);
    if (!body) {
      apiError(res, 413, 'RequestTooLargeException', 'Request must be smaller than 6291456 bytes.');
      return;
    }
    let event: unknown;
    try {
      event = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      apiError(res, 400, 'InvalidRequestContentException', 'Could not parse request body into json.');
      return;
    }
    const requestId = randomUUID();
    const common = { 'x-amzn-requestid': requestId, 'x-amz-executed-version': '$LATEST' };
    const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    if (type === 'DryRun') {
      res.writeHead(204, common).end();
      return;
    }
    if (type === 'Event') {
      send(res, 202, common, '');
      host.invoke(fn.id, event).catch((error) => log(`lambda ${name} (event) failed: ${error}`));
      return;
    }
    try {
      const result = await host.invoke(fn.id, event);
      send(res, 200, common, JSON.stringify(result ?? null));
    } catch (error) {
      log(`lambda ${name} failed: ${(error as Error)?.message ?? error}`);
      send(
        res,
        200,
        { ...common, 'x-amz-function-error': 'Unhandled' },
        JSON.stringify(functionError(error, fn.timeoutMs, requestId)),
      );
    }
  };
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      log(`lambda invoke endpoint: ${(error as Error)?.stack ?? error}`);
      if (!res.headersSent) apiError(res, 500, 'ServiceException', 'The local Invoke endpoint failed.');
      else res.destroy();
    });
  });
  // An invocation may run up to its function's timeout (Lambda's maximum: 15 minutes).
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
