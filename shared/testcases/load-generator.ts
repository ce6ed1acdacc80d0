import type { LoadProfile } from './load-run.ts';
import { plannedRequests } from './load-run.ts';
import type { LoadSample } from './load-summary.ts';

/** One request of the case: its status, or none when no answer came (it never throws). */
export type LoadRequest = () => Promise<{ status?: number; latencyMs: number }>;

export interface LoadGeneratorDeps {
  send: LoadRequest;
  /** Milliseconds on a monotonic clock. */
  clock(): number;
  sleep(ms: number): Promise<void>;
  /** Told how many requests have been sent, at most once per `progressEveryMs`; never awaited. */
  progress?(sent: number): void;
  progressEveryMs?: number;
}

/**
 * An open-loop load (like k6's constant arrival rate): request i is due at i / rate seconds, whatever
 * the answers before it took; when `concurrency` requests are already in flight at its time it is not
 * sent but counted as dropped, so a slow API shows as drops instead of as a quietly lower rate.
 */
export async function generateLoad(
  deps: LoadGeneratorDeps,
  profile: LoadProfile,
): Promise<{ samples: LoadSample[]; durationMs: number }> {
  const planned = plannedRequests(profile);
  const intervalMs = 1000 / profile.ratePerSecond;
  const progressEveryMs = deps.progressEveryMs ?? 5_000;
  const samples: LoadSample[] = [];
  const requests: Promise<void>[] = [];
  let inFlight = 0;
  const start = deps.clock();
  let sent = 0;
  let lastProgress = start;
  for (let i = 0; i < planned; i++) {
    const dueMs = i * intervalMs;
    const wait = start + dueMs - deps.clock();
    if (wait > 0) await deps.sleep(wait);
    if (inFlight >= profile.concurrency) {
      samples.push({ kind: 'dropped', dueMs });
      continue;
    }
    sent += 1;
    inFlight += 1;
    requests.push(
      deps.send().then(
        (answer) => {
          inFlight -= 1;
          samples.push({ kind: 'sent', dueMs, latencyMs: answer.latencyMs, ...pickStatus(answer.status) });
        },
        () => {
          inFlight -= 1;
          samples.push({ kind: 'sent', dueMs, latencyMs: 0 });
        },
      ),
    );
    if (deps.progress && deps.clock() - lastProgress >= progressEveryMs) {
      lastProgress = deps.clock();
      deps.progress(sent);
    }
  }
  await Promise.all(requests);
  return { samples: samples.sort((a, b) => a.dueMs - b.dueMs), durationMs: deps.clock() - start };
}

const pickStatus = (status: number | undefined) => (status === undefined ? {} : { status });
