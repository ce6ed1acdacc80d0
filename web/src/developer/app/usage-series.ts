import type { CallUsage, Grain } from '../api/usage.ts';
import { formatCount } from '../ui/format.ts';

const GRAIN_MS: Record<Grain, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
/** The platform answers at most 1,500 periods; a chart never draws more. */
const MAX_POINTS = 1_500;

/** Aligned columns for the chart: one entry per period of the range, quiet ones included. */
export interface CallSeries {
  /** Period starts, epoch seconds (uPlot's time scale). */
  times: number[];
  calls: number[];
  errors: number[];
}

/**
 * The report's points over every period of its range: the platform lists only periods with calls,
 * and a line through those alone would join two busy minutes across a quiet hour.
 */
export function callSeries(report: CallUsage): CallSeries {
  const step = GRAIN_MS[report.grain];
  const first = Math.floor(Date.parse(report.from) / step) * step;
  const last = Math.floor(Date.parse(report.to) / step) * step;
  const byPeriod = new Map(report.series.map((point) => [Date.parse(point.period), point]));
  const series: CallSeries = { times: [], calls: [], errors: [] };
  for (let at = first; at <= last && series.times.length < MAX_POINTS; at += step) {
    const point = byPeriod.get(at);
    series.times.push(at / 1000);
    series.calls.push(point?.count ?? 0);
    series.errors.push(point?.errors ?? 0);
  }
  return series;
}

/** The chart in words, for those who do not see it: totals, error share and the busiest period. */
export function usageSummary(report: CallUsage, rangeLabel: string, locale?: string): string {
  const { count, errors } = report.totals;
  if (count === 0) return `No calls ${rangeLabel}.`;
  const busiest = Math.max(0, ...report.series.map((point) => point.count));
  const share = Number(((errors / count) * 100).toFixed(1));
  const calls = `${formatCount(count, locale)} ${count === 1 ? 'call' : 'calls'} ${rangeLabel}`;
  const failed =
    errors === 0
      ? 'none failed'
      : `${formatCount(errors, locale)} failed (${share.toLocaleString(locale)} %)`;
  return `${calls}, ${failed}; at most ${formatCount(busiest, locale)} in one ${report.grain}.`;
}
