import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A counting HTTP proxy in front of an AWS emulator (moto): every request is forwarded as it is and
 * counted by service and operation — the operation from `X-Amz-Target` (JSON protocols: DynamoDB, SQS,
 * KMS, Kinesis, EventBridge, Secrets Manager) or `Action` (query protocols), the service from the
 * SigV4 credential scope. Point a runtime's `AWS_ENDPOINT_URL` at `endpoint`, before it starts, and
 * every SDK call it makes (functions and pollers alike) goes through here. The Host header is passed on
 * unchanged, so the queue URLs the emulator hands out name the proxy (the SQS client sends to the
 * queue URL's host). Binds to 127.0.0.1.
 */
export interface AwsCallCounter {
  endpoint: string;
  /** Calls so far, by `service:Operation`. */
  snapshot(): Map<string, number>;
  /** Calls so far, by `service:Operation resource` (the table or queue the call names, when it names one). */
  snapshotByResource(): Map<string, number>;
  /** Milliseconds the emulator took to answer, summed by `service:Operation` (long polls included). */
  snapshotMs(): Map<string, number>;
  close(): Promise<void>;
}

/** `after − before`, keys with no calls left out, largest first. */
export function callsBetween(before: Map<string, number>, after: Map<string, number>): [string, number][] {
  const diff: [string, number][] = [];
  for (const [key, value] of after) {
    const calls = value - (before.get(key) ?? 0);
    if (calls > 0) diff.push([key, calls]);
  }
  return diff.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

const SCOPE = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/;

/** `service:Operation` of one request, from its headers and (query protocols) its body. */
export function operationOf(
  method: string,
  headers: http.IncomingHttpHeaders,
  url: string,
  body: Buffer,
): string {
  const service = SCOPE.exec(String(headers.authorization ?? ''))?.[1] ?? 'unknown';
  const target = headers['x-amz-target'];
  if (typeof target === 'string' && target.includes('.')) {
    return `${service}:${target.slice(target.lastIndexOf('.') + 1)}`;
  }
  const query = new URL(url, 'http://local').searchParams.get('Action');
  const form = String(headers['content-type'] ?? '').includes('x-www-form-urlencoded')
    ? new URLSearchParams(body.toString('utf8')).get('Action')
    : null;
  return `${service}:${query ?? form ?? `${method} ${url.split('?')[0]}`}`;
}

/** The table or queue a JSON-protocol call names (its short name), if any. */
function resourceOf(body: Buffer): string | undefined {
  if (body.length === 0 || body[0] !== 0x7b) return undefined;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    const name =
      (typeof parsed.TableName === 'string' && parsed.TableName) ||
      (typeof parsed.QueueUrl === 'string' && parsed.QueueUrl.split('/').at(-1)) ||
      (typeof parsed.StreamName === 'string' && parsed.StreamName) ||
      (parsed.RequestItems && typeof parsed.RequestItems === 'object'
        ? Object.keys(parsed.RequestItems).join('+')
        : undefined) ||
      (Array.isArray(parsed.TransactItems) ? 'transaction' : undefined);
    return name || undefined;
  } catch {
    return undefined;
  }
}

export async function startAwsCallCounter(target: string): Promise<AwsCallCounter> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const byOperation = new Map<string, number>();
  const byResource = new Map<string, number>();
  const msByOperation = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string, by = 1) => map.set(key, (map.get(key) ?? 0) + by);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = operationOf(req.method ?? 'GET', req.headers, req.url ?? '/', body);
      bump(byOperation, operation);
      const resource = resourceOf(body);
      bump(byResource, resource ? `${operation} ${resource}` : operation);
      const sent = performance.now();
      const forward = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
          agent,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', () => bump(msByOperation, operation, performance.now() - sent));
        },
      );
      forward.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      // A caller that gave up (a long poll aborted on stop) takes its forwarded request with it.
      res.on('close', () => {
        if (!res.writableFinished) forward.destroy();
      });
      forward.end(body);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    snapshot: () => new Map(byOperation),
    snapshotByResource: () => new Map(byResource),
    snapshotMs: () => new Map(msByOperation),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        agent.destroy();
      }),
  };
}
