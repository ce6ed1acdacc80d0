import type { Probe } from './health-check.ts';

export const HEALTH_PROBE_USER_AGENT = 'portico-health-check';

export interface HttpProbeOptions {
  /** Measures latency (ms). Default `performance.now`. */
  clock?: () => number;
}

/**
 * The active health check's probe: `GET` of the server's base URL as registered (a definition may
 * later name a health path to probe instead). The server is healthy when it answers with a status
 * below 500: a 404 or a 401 from an API's root still proves that it is up and serving, while 5xx,
 * a refused connection or no answer within the probe's time (the `signal`) does not. Redirects are
 * not followed (`redirect: 'manual'`): a 3xx is an answer, and following it could lead the probe
 * anywhere. The body is discarded unread, so the connection is released.
 */
export function httpProbe(options: HttpProbeOptions = {}): Probe {
  const clock = options.clock ?? (() => performance.now());
  return async (url, signal) => {
    const started = clock();
    const response = await fetch(url, {
      method: 'GET',
      signal,
      redirect: 'manual',
      headers: { 'user-agent': HEALTH_PROBE_USER_AGENT },
    });
    const latencyMs = Math.max(0, Math.round(clock() - started));
    await response.body?.cancel().catch(() => undefined);
    return { ok: response.status < 500, latencyMs };
  };
}
