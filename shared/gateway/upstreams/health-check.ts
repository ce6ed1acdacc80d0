import type { HealthResult, Probe } from '../ports.ts';
import type { UpstreamPool } from './balancer.ts';

export interface HealthPlanOptions {
  /** Most URLs probed in one run. */
  maxProbes?: number;
  /** A healthy URL is probed again once its last result is this old. Suspect URLs are probed every run. */
  intervalMs?: number;
}

export interface HealthRunOptions extends HealthPlanOptions {
  /** Probes running at once. */
  concurrency?: number;
  /** Time allowed per probe. */
  timeoutMs?: number;
  /** The previous results (as stored), for planning. */
  lastResults?: Iterable<HealthResult>;
  /** Measures how long a probe that threw took. Default `Date.now`. */
  clock?: () => number;
}

export interface HealthRun {
  /** The URLs probed, in plan order. */
  planned: string[];
  /** Their results, in plan order. */
  results: HealthResult[];
  /** Verdicts the pools accepted (a URL in two pools counts twice). */
  applied: number;
}

export const HEALTH_CHECK_DEFAULTS = {
  /**
   * With the default concurrency and timeout the worst run takes ⌈64 / 8⌉ × 2 s = 16 s, which fits a
   * 30 s scheduled function with room to store the results.
   */
  maxProbes: 64,
  /**
   * For a schedule of rate(1 minute): a little under the period, so a run that starts a few seconds
   * early (EventBridge Scheduler's flexible window, or clock skew) does not skip a healthy URL until
   * the run after.
   */
  intervalMs: 50_000,
  /** Enough to finish a normal run in a few seconds without hammering a recovering upstream. */
  concurrency: 8,
  /** A health endpoint should answer at once; anything slower is treated as failing. */
  timeoutMs: 2_000,
} as const;

/** The latest result per URL. */
export function latestByUrl(results: Iterable<HealthResult>): Map<string, HealthResult> {
  const latest = new Map<string, HealthResult>();
  for (const result of results) {
    const known = latest.get(result.url);
    if (!known || result.checkedAt > known.checkedAt) latest.set(result.url, result);
  }
  return latest;
}

/**
 * Which URLs to probe now, most urgent first, at most `maxProbes`, each URL once even when several
 * pools share it:
 * 1. URLs ejected in some pool — a passing check is their fast way back;
 * 2. URLs on probation in some pool, or whose last result failed;
 * 3. healthy URLs never checked or last checked at least `intervalMs` ago.
 * Within a rank, the URL checked longest ago comes first (never checked before any), then by URL.
 */
export function planHealthChecks(
  pools: Iterable<UpstreamPool>,
  lastResults: Iterable<HealthResult>,
  now: number,
  options: HealthPlanOptions = {},
): string[] {
  const maxProbes = options.maxProbes ?? HEALTH_CHECK_DEFAULTS.maxProbes;
  const intervalMs = options.intervalMs ?? HEALTH_CHECK_DEFAULTS.intervalMs;
  const latest = latestByUrl(lastResults);

  const rank = new Map<string, number>();
  for (const pool of pools) {
    for (const server of pool.snapshot(now)) {
      const last = latest.get(server.url);
      const r =
        server.state === 'ejected'
          ? 0
          : server.state === 'probation' || last?.ok === false
            ? 1
            : !last || now - last.checkedAt >= intervalMs
              ? 2
              : undefined;
      if (r === undefined) {
        if (!rank.has(server.url)) rank.set(server.url, Number.POSITIVE_INFINITY);
        continue;
      }
      rank.set(server.url, Math.min(rank.get(server.url) ?? r, r));
    }
  }

  const lastChecked = (url: string) => latest.get(url)?.checkedAt ?? Number.NEGATIVE_INFINITY;
  return [...rank]
    .filter(([, r]) => Number.isFinite(r))
    .sort(
      ([urlA, rankA], [urlB, rankB]) =>
        rankA - rankB ||
        (lastChecked(urlA) === lastChecked(urlB) ? 0 : lastChecked(urlA) < lastChecked(urlB) ? -1 : 1) ||
        (urlA < urlB ? -1 : urlA > urlB ? 1 : 0),
    )
    .slice(0, Math.max(0, maxProbes))
    .map(([url]) => url);
}

/** Applies results to every pool holding their URL. Returns the number of verdicts accepted. */
export function applyHealthResults(pools: Iterable<UpstreamPool>, results: Iterable<HealthResult>): number {
  const poolList = [...pools];
  let applied = 0;
  for (const result of results) {
    for (const pool of poolList) {
      if (!pool.has(result.url)) continue;
      const accepted = result.ok
        ? pool.markHealthy(result.url, result.checkedAt)
        : pool.markUnhealthy(result.url, result.checkedAt);
      if (accepted) applied++;
    }
  }
  return applied;
}

const TIMED_OUT = Symbol('timed out');

/** Runs one probe with a deadline; a timeout or a thrown error is a failed check, never a thrown one. */
async function probeOnce(
  probe: Probe,
  url: string,
  checkedAt: number,
  timeoutMs: number,
  clock: () => number,
): Promise<HealthResult> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new DOMException(`Health probe exceeded ${timeoutMs} ms`, 'TimeoutError'));
      resolve(TIMED_OUT);
    }, timeoutMs);
  });
  const started = clock();
  try {
    const outcome = await Promise.race([probe(url, controller.signal), deadline]);
    if (outcome === TIMED_OUT) return { url, ok: false, latencyMs: timeoutMs, checkedAt, error: 'timeout' };
    return { url, ok: outcome.ok === true, latencyMs: outcome.latencyMs, checkedAt };
  } catch {
    if (controller.signal.aborted)
      return { url, ok: false, latencyMs: timeoutMs, checkedAt, error: 'timeout' };
    return { url, ok: false, latencyMs: Math.max(0, clock() - started), checkedAt, error: 'probe-error' };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Plans, probes (at most `concurrency` at once, each within `timeoutMs`), and applies the results to
 * `pools`. Never rejects because of a probe. The caller stores `results` for the gateway instances
 * and passes them back as `lastResults` next time.
 */
export async function runHealthChecks(
  pools: Iterable<UpstreamPool>,
  probe: Probe,
  now: number,
  options: HealthRunOptions = {},
): Promise<HealthRun> {
  const poolList = [...pools];
  const concurrency = options.concurrency ?? HEALTH_CHECK_DEFAULTS.concurrency;
  const timeoutMs = options.timeoutMs ?? HEALTH_CHECK_DEFAULTS.timeoutMs;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be an integer ≥ 1, got ${concurrency}.`);
  }
  if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be > 0, got ${timeoutMs}.`);
  const clock = options.clock ?? Date.now;

  const planned = planHealthChecks(poolList, options.lastResults ?? [], now, options);
  const results: HealthResult[] = new Array(planned.length);
  let next = 0;
  const worker = async () => {
    while (next < planned.length) {
      const index = next++;
      results[index] = await probeOnce(probe, planned[index]!, now, timeoutMs, clock);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, planned.length) }, worker));
  return { planned, results, applied: applyHealthResults(poolList, results) };
}
