import type { LoadProfile, LoadRun, LoadRunStatus, LoadSummary } from '../api/load-runs.ts';
import { formatShare } from '../ui/format.ts';

const STATUSES: Record<LoadRunStatus, { label: string; tone: 'info' | 'success' | 'warning' | 'danger' }> = {
  queued: { label: 'Queued', tone: 'info' },
  running: { label: 'Running', tone: 'info' },
  completed: { label: 'Completed', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
  abandoned: { label: 'Abandoned', tone: 'warning' },
};

export const statusLabel = (status: LoadRunStatus): string => STATUSES[status]?.label ?? status;

export const statusTone = (status: LoadRunStatus) => STATUSES[status]?.tone ?? 'neutral';

/** Queued or running: its page reads it again until it ends. */
export const isUnfinished = (run: Pick<LoadRun, 'status'>): boolean =>
  run.status === 'queued' || run.status === 'running';

/** "10/s × 10 s, ≤ 5 in flight". */
export const profileText = (profile: LoadProfile): string =>
  `${profile.ratePerSecond}/s × ${profile.durationSeconds} s, ≤ ${profile.concurrency} in flight`;

/** The share of sent requests that failed: "0 %", "2.5 %"; "–" when none was sent. */
export const errorRateText = (summary: Pick<LoadSummary, 'sent' | 'errorRate'>): string =>
  summary.sent > 0 ? formatShare(summary.errorRate) : '–';

/** Requests that got an answer, whatever its status: those the latencies are of. */
export const answeredOf = (summary: Pick<LoadSummary, 'sent' | 'statuses'>): number =>
  summary.sent - (summary.statuses.none ?? 0);

/** "5/s", "12.5/s", as the profile writes its rate. */
export const rateText = (perSecond: number): string => `${Number(perSecond.toFixed(1))}/s`;

export interface StatusCount {
  /** An HTTP status, or undefined for requests without an answer. */
  status: string | undefined;
  count: number;
}

/** The answers by status, lowest status first and unanswered last, leaving out statuses never seen. */
export function statusCounts(statuses: Record<string, number>): StatusCount[] {
  return Object.entries(statuses)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => (a === 'none' ? 1 : b === 'none' ? -1 : Number(a) - Number(b)))
    .map(([status, count]) => ({ status: status === 'none' ? undefined : status, count }));
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Where a run is, in a sentence (announced as it changes). */
export function loadRunSentence(run: LoadRun): string {
  const { summary } = run;
  switch (run.status) {
    case 'queued':
      return 'Queued: waiting for the load generator to start it.';
    case 'running':
      return 'Running: sending the case’s request through the gateway.';
    case 'completed': {
      if (!summary) return 'Completed.';
      const sent = `${summary.sent} of ${plural(summary.planned, 'planned request', 'planned requests')} sent`;
      const dropped = summary.dropped ? `, ${summary.dropped} dropped` : '';
      if (summary.sent === 0) return `Completed: ${sent}${dropped}.`;
      const errors = summary.errors ? plural(summary.errors, 'error', 'errors') : 'no errors';
      return `Completed: ${sent}${dropped}; ${errors} (${errorRateText(summary)} error rate).`;
    }
    default:
      return `${statusLabel(run.status)}.${run.error ? ` ${run.error}` : ''}`;
  }
}
