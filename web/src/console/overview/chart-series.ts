import type { CallUsageReport, Grain } from '../api/analytics.ts';
import { formatCount, formatMs, formatShare } from '../ui/format.ts';

const GRAIN_MS: Record<Grain, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
/** The platform answers at most 1,500 periods; a chart never draws more. */
const MAX_POINTS = 1_500;

/** Aligned columns for the charts: one entry per period of the range, quiet periods included. */
export interface UsageSeries {
  /** Period starts, epoch seconds (what uPlot's time scale reads). */
  times: number[];
  calls: number[];
  /** Failed calls as a percentage of the period's calls; null when it had none. */
  errorPercent: (number | null)[];
  p50: (number | null)[];
  p99: (number | null)[];
}

/**
 * The report's points spread over every period of its range: the platform lists only periods that had
 * traffic, and a chart of those alone would join a busy minute to the next busy one across a quiet hour.
 */
export function usageSeries(report: CallUsageReport): UsageSeries {
  const step = GRAIN_MS[report.grain];
  const first = Math.floor(Date.parse(report.from) / step) * step;
  const last = Math.floor(Date.parse(report.to) / step) * step;
  const byPeriod = new Map(report.series.map((point) => [Date.parse(point.period), point]));
  const series: UsageSeries = { times: [], calls: [], errorPercent: [], p50: [], p99: [] };
  for (let at = first; at <= last && series.times.length < MAX_POINTS; at += step) {
    const point = byPeriod.get(at);
    const count = point?.count ?? 0;
    series.times.push(at / 1000);
    series.calls.push(count);
    series.errorPercent.push(point && count > 0 ? (point.errors / count) * 100 : null);
    series.p50.push(point?.latencyMs?.p50 ?? null);
    series.p99.push(point?.latencyMs?.p99 ?? null);
  }
  return series;
}

const largest = (values: readonly (number | null)[]): number | undefined => {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? Math.max(...present) : undefined;
};

/** Text alternatives of the three charts: what a sighted reader takes from each at a glance. */
export interface ChartDescriptions {
  calls: string;
  errors: string;
  latency: string;
}

export function chartDescriptions(
  report: CallUsageReport,
  series: UsageSeries,
  scope: string,
  locale?: string,
): ChartDescriptions {
  const { totals, grain } = report;
  const calls = `${formatCount(totals.count, locale)} calls to ${scope} in total`;
  const busiest = largest(series.calls) ?? 0;
  const worstRate = largest(series.errorPercent);
  const worstP99 = largest(series.p99);
  return {
    calls:
      totals.count === 0
        ? `No calls to ${scope} in this range.`
        : `${calls}; at most ${formatCount(busiest, locale)} in one ${grain}.`,
    errors:
      totals.count === 0
        ? 'No calls, so no error rate.'
        : `${formatCount(totals.errors, locale)} of ${formatCount(totals.count, locale)} calls failed (${formatShare(totals.errors / totals.count)}); the worst ${grain} had ${formatShare((worstRate ?? 0) / 100)} failing.`,
    latency: totals.latencyMs
      ? `Latency over the range: p50 ${formatMs(totals.latencyMs.p50)}, p99 ${formatMs(totals.latencyMs.p99)}; the slowest ${grain} had a p99 of ${formatMs(worstP99 ?? totals.latencyMs.p99)}.`
      : 'No calls, so no latency.',
  };
}
