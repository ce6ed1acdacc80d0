/** One request of a load run, or one it could not send because `concurrency` requests were in flight. */
export type LoadSample =
  | {
      kind: 'sent';
      /** When it was due, from the run's start. */
      dueMs: number;
      /** Absent when no answer came (timeout, refused connection). */
      status?: number;
      latencyMs: number;
    }
  | { kind: 'dropped'; dueMs: number };

export interface LatencyFigures {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** What a load run measured. */
export interface LoadSummary {
  planned: number;
  sent: number;
  dropped: number;
  /** No answer, or a status other than the case's expected one. */
  errors: number;
  /** errors / sent (0 when nothing was sent). */
  errorRate: number;
  /** Answers by status; `none`: no answer. */
  statuses: Record<string, number>;
  /** Of the answered requests (all zero when none was). */
  latencyMs: LatencyFigures;
  achievedRatePerSecond: number;
  durationMs: number;
}

/** One second of the run, for the chart. */
export interface LoadSecond {
  second: number;
  sent: number;
  errors: number;
  dropped: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Nearest-rank percentile of ascending `sorted` (q in 0..1); undefined when empty. */
export function percentile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

function latencyFigures(latencies: readonly number[]): LatencyFigures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => round1(percentile(sorted, q) ?? 0);
  const total = sorted.reduce((sum, n) => sum + n, 0);
  return {
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: at(1),
    mean: sorted.length ? round1(total / sorted.length) : 0,
  };
}

const isError = (sample: Extract<LoadSample, { kind: 'sent' }>, expectedStatus: number) =>
  sample.status !== expectedStatus;

/**
 * The run's figures. `windowSeconds` is how long requests were being started (the profile's duration):
 * the achieved rate is measured over it; `durationMs` runs on until the last answer.
 */
export function summarizeLoad(
  samples: readonly LoadSample[],
  expectedStatus: number,
  windowSeconds: number,
  durationMs: number,
): LoadSummary {
  const sent = samples.filter((s) => s.kind === 'sent');
  const answered = sent.filter((s) => s.status !== undefined);
  const errors = sent.filter((s) => isError(s, expectedStatus)).length;
  const statuses: Record<string, number> = {};
  for (const s of sent) {
    const key = s.status === undefined ? 'none' : String(s.status);
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  return {
    planned: samples.length,
    sent: sent.length,
    dropped: samples.length - sent.length,
    errors,
    errorRate: sent.length ? Math.round((errors / sent.length) * 10_000) / 10_000 : 0,
    statuses,
    latencyMs: latencyFigures(answered.map((s) => s.latencyMs)),
    achievedRatePerSecond: round1(sent.length / windowSeconds),
    durationMs: Math.round(durationMs),
  };
}

/** The samples per second of their due time, `seconds` entries long (seconds without requests included). */
export function loadSeries(
  samples: readonly LoadSample[],
  seconds: number,
  expectedStatus: number,
): LoadSecond[] {
  const buckets = Array.from({ length: seconds }, () => ({
    sent: 0,
    errors: 0,
    dropped: 0,
    latencies: [] as number[],
  }));
  for (const sample of samples) {
    const bucket = buckets[Math.min(seconds - 1, Math.max(0, Math.floor(sample.dueMs / 1000)))];
    if (!bucket) continue;
    if (sample.kind === 'dropped') {
      bucket.dropped += 1;
      continue;
    }
    bucket.sent += 1;
    if (isError(sample, expectedStatus)) bucket.errors += 1;
    if (sample.status !== undefined) bucket.latencies.push(sample.latencyMs);
  }
  return buckets.map((b, second) => {
    const sorted = b.latencies.sort((x, y) => x - y);
    const p50 = percentile(sorted, 0.5);
    const p99 = percentile(sorted, 0.99);
    return {
      second,
      sent: b.sent,
      errors: b.errors,
      dropped: b.dropped,
      p50Ms: p50 === undefined ? null : round1(p50),
      p99Ms: p99 === undefined ? null : round1(p99),
    };
  });
}
