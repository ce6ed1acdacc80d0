import http from 'node:http';
import https from 'node:https';
import { EgressDeniedError, type EgressGuard, isEgressDenied } from '../../egress/guard.ts';
import type { Probe } from '../ports.ts';

export const HEALTH_PROBE_USER_AGENT = 'portico-health-check';

export interface HttpProbeOptions {
  /** The egress policy, applied to the URL and to every address the probe connects to. */
  egress: EgressGuard;
  /** Told once per probe the egress policy refused. */
  onEgressDenied?: (denial: { host: string; reason: string }) => void;
  /** Measures latency (ms). Default `performance.now`. */
  clock?: () => number;
}

/**
 * The active health check's probe: `GET` of the server's base URL as registered (a definition may
 * later name a health path to probe instead). The server is healthy when it answers with a status
 * below 500: a 404 or a 401 from an API's root still proves that it is up and serving, while 5xx,
 * a refused connection or no answer within the probe's time (the `signal`) does not. Redirects are
 * not followed: a 3xx is an answer, and following it could lead the probe anywhere. The body is never
 * read: the connection is dropped once the status is known. A probe the egress policy refuses fails
 * without connecting.
 */
export function httpProbe(options: HttpProbeOptions): Probe {
  const { egress } = options;
  const clock = options.clock ?? (() => performance.now());
  // No keep-alive: probes are a minute apart, and a fresh connection is what is being tested.
  const agents = {
    http: new http.Agent({ lookup: egress.lookup, keepAlive: false }),
    https: new https.Agent({ lookup: egress.lookup, keepAlive: false }),
  };
  const denied = (error: EgressDeniedError) => {
    options.onEgressDenied?.({ host: error.host, reason: error.reason });
    return error;
  };
  return (url, signal) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      // Node does not look literal addresses up, so the agents' lookup never sees them: decide here.
      const decision = egress.checkUrl(target);
      if (!decision.allowed) {
        reject(denied(new EgressDeniedError(decision.host ?? target.host, decision.reason)));
        return;
      }
      const secure = target.protocol === 'https:';
      const started = clock();
      const request = (secure ? https : http).request(
        target,
        {
          method: 'GET',
          signal,
          agent: secure ? agents.https : agents.http,
          headers: { 'user-agent': HEALTH_PROBE_USER_AGENT },
        },
        (response) => {
          const latencyMs = Math.max(0, Math.round(clock() - started));
          response.on('error', () => undefined);
          response.destroy();
          resolve({ ok: (response.statusCode ?? 500) < 500, latencyMs });
        },
      );
      request.on('error', (error) => reject(isEgressDenied(error) ? denied(error) : error));
      request.end();
    });
}
