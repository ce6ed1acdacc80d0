import type { LoadRun, LoadSecond } from '../api/load-runs.ts';
import { formatMs } from '../ui/format.ts';

/** A completed run's seconds as aligned chart columns, with the charts' text alternatives. */
export interface LoadRunSeries {
  /** Epoch seconds: the run's start plus each entry's `second`. */
  times: number[];
  p50: (number | null)[];
  p99: (number | null)[];
  sent: number[];
  errors: number[];
  dropped: number[];
  latencyDescription: string;
  requestsDescription: string;
}

const seconds = (n: number) => (n === 1 ? '1 second' : `${n} seconds`);

/** The entry with the largest value of `pick` (the first of equals), if any has one. */
function peakOf(entries: readonly LoadSecond[], pick: (entry: LoadSecond) => number | null) {
  let peak: LoadSecond | undefined;
  for (const entry of entries) {
    const value = pick(entry);
    if (value !== null && (peak === undefined || value > (pick(peak) ?? 0))) peak = entry;
  }
  return peak;
}

function rangeText(values: readonly (number | null)[]): string {
  const present = values.filter((value): value is number => value !== null);
  const low = formatMs(Math.min(...present));
  const high = formatMs(Math.max(...present));
  return low === high ? low : `from ${low} to ${high}`;
}

function latencyDescription(entries: readonly LoadSecond[]): string {
  const slowest = peakOf(entries, (entry) => entry.p99Ms);
  if (!slowest) return 'No request got an answer, so there is no latency to show.';
  return (
    `Over ${seconds(entries.length)}, p50 latency per second ran ${rangeText(entries.map((e) => e.p50Ms))} ` +
    `and p99 ${rangeText(entries.map((e) => e.p99Ms))}; the slowest second was ${slowest.second} s in.`
  );
}

/** "3 errors, at most 2 in one second (4 s in)." / "No errors." */
function countText(entries: readonly LoadSecond[], what: 'errors' | 'dropped'): string {
  const total = entries.reduce((sum, entry) => sum + entry[what], 0);
  const none = what === 'errors' ? 'No errors.' : 'None dropped.';
  if (total === 0) return none;
  const peak = peakOf(entries, (entry) => entry[what]);
  const label = what === 'errors' ? (total === 1 ? 'error' : 'errors') : 'dropped';
  return `${total} ${label}, at most ${peak?.[what] ?? 0} in one second (${peak?.second ?? 0} s in).`;
}

function requestsDescription(entries: readonly LoadSecond[]): string {
  const sent = entries.reduce((sum, entry) => sum + entry.sent, 0);
  const busiest = Math.max(...entries.map((entry) => entry.sent));
  return (
    `${sent === 1 ? '1 request' : `${sent} requests`} sent over ${seconds(entries.length)}, ` +
    `at most ${busiest} in one second. ${countText(entries, 'errors')} ${countText(entries, 'dropped')}`
  );
}

/** The run's seconds for its charts: undefined until it has completed with any. */
export function loadRunSeries(run: Pick<LoadRun, 'startedAt' | 'series'>): LoadRunSeries | undefined {
  const start = run.startedAt ? Date.parse(run.startedAt) / 1000 : Number.NaN;
  if (!run.series?.length || Number.isNaN(start)) return undefined;
  const entries = [...run.series].sort((a, b) => a.second - b.second);
  return {
    times: entries.map((entry) => start + entry.second),
    p50: entries.map((entry) => entry.p50Ms),
    p99: entries.map((entry) => entry.p99Ms),
    sent: entries.map((entry) => entry.sent),
    errors: entries.map((entry) => entry.errors),
    dropped: entries.map((entry) => entry.dropped),
    latencyDescription: latencyDescription(entries),
    requestsDescription: requestsDescription(entries),
  };
}
