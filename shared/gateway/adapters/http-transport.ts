import { guardedAgents } from '../../egress/adapters/guarded-agents.ts';
import { type EgressGuard, isEgressDenied } from '../../egress/guard.ts';
import { MAX_RESPONSE_BYTES, NEVER_CONNECTED, UpstreamFailure } from '../forward.ts';
import { clientResponseHeaders } from '../headers.ts';
import type { UpstreamCall, UpstreamTransport } from '../ports.ts';

export interface HttpTransportOptions {
  /** The egress policy: checked on each URL before the call and on every address a socket connects to. */
  egress: EgressGuard;
  /** Told once per call the egress policy refused (the caller gets a 502 that says no more). */
  onEgressDenied?: (denial: { host: string; reason: string }) => void;
  /** Sockets kept per upstream origin. */
  maxSockets?: number;
  /** Idle keep-alive sockets are closed after this long (below common server keep-alive timeouts). */
  idleTimeoutMs?: number;
}

/**
 * Upstream calls over node:http(s) with keep-alive agents: one pool of sockets per origin, reused
 * across calls and invocations. Bodies are relayed as they come (compressed stays compressed), the
 * timeout covers the whole exchange (connect, headers and body), and the socket is destroyed when it
 * fires, so a hanging upstream never keeps a connection.
 */
export function httpTransport(options: HttpTransportOptions): UpstreamTransport {
  const { egress } = options;
  const connectionFor = guardedAgents(egress, options);

  // A refused egress never opened a connection, so it counts as refused: another server may take the call.
  const denied = (denial: { host: string; reason: string }) => {
    options.onEgressDenied?.(denial);
    return new UpstreamFailure('refused', 'The upstream could not be reached.');
  };

  return (call: UpstreamCall) =>
    new Promise((resolve, reject) => {
      // Node does not look literal addresses up, so the agents' lookup never sees them: decide here.
      const decision = egress.checkUrl(call.url);
      if (!decision.allowed) {
        reject(denied({ host: decision.host ?? call.url.host, reason: decision.reason }));
        return;
      }
      const { client, agent } = connectionFor(call.url);
      const hasBody = call.body.length > 0 && call.method !== 'GET' && call.method !== 'HEAD';
      const headers = hasBody
        ? { ...call.headers, 'content-length': String(call.body.length) }
        : call.headers;
      const started = performance.now();
      let settled = false;
      const fail = (failure: UpstreamFailure) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.destroy();
        reject(failure);
      };
      const request = client.request(call.url, { method: call.method, headers, agent });
      const timer = setTimeout(
        () =>
          fail(new UpstreamFailure('timeout', `The upstream did not answer within ${call.timeoutMs} ms.`)),
        call.timeoutMs,
      );
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (isEgressDenied(error)) {
          if (!settled) fail(denied({ host: error.host, reason: error.reason }));
          return;
        }
        const refused = NEVER_CONNECTED.has(error.code ?? '');
        fail(new UpstreamFailure(refused ? 'refused' : 'broken', 'The upstream could not be reached.'));
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES)
            fail(new UpstreamFailure('broken', 'The upstream response is too large.'));
          else chunks.push(chunk);
        });
        response.on('aborted', () =>
          fail(new UpstreamFailure('broken', 'The upstream connection failed mid-response.')),
        );
        response.on('error', () =>
          fail(new UpstreamFailure('broken', 'The upstream connection failed mid-response.')),
        );
        response.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({
            status: response.statusCode ?? 502,
            headers: clientResponseHeaders(response.headers),
            body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size),
            upstreamLatencyMs: performance.now() - started,
          });
        });
      });
      request.end(hasBody ? call.body : undefined);
    });
}
