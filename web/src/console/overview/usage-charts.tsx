import { useMemo } from 'react';
import type { CallUsageReport } from '../api/analytics.ts';
import { formatCount, formatMs } from '../ui/format.ts';
import { chartDescriptions, usageSeries } from './chart-series.ts';
import { type ChartLine, TimeSeriesChart } from './time-series-chart.tsx';

const percent = (value: number) => `${Number(value.toFixed(2))} %`;
const count = (value: number) => formatCount(Math.round(value));

/** Calls, error rate and latency of a usage report, as three charts (loaded with uPlot when first shown). */
export default function UsageCharts({ report, scope }: { report: CallUsageReport; scope: string }) {
  const series = useMemo(() => usageSeries(report), [report]);
  const text = useMemo(() => chartDescriptions(report, series, scope), [report, series, scope]);
  const lines = useMemo(
    () => ({
      calls: [{ label: 'Calls', values: series.calls, color: '#4338ca', filled: true }] as ChartLine[],
      errors: [{ label: 'Error rate', values: series.errorPercent, color: '#b91c1c' }] as ChartLine[],
      latency: [
        { label: 'p50', values: series.p50, color: '#0f766e' },
        { label: 'p99', values: series.p99, color: '#9a3412' },
      ] as ChartLine[],
    }),
    [series],
  );
  return (
    <div className="chart-grid">
      <TimeSeriesChart
        title={`Calls per ${report.grain}`}
        description={text.calls}
        times={series.times}
        lines={lines.calls}
        format={count}
        whole
      />
      <TimeSeriesChart
        title="Error rate"
        description={text.errors}
        times={series.times}
        lines={lines.errors}
        format={percent}
      />
      <TimeSeriesChart
        title="Latency (p50 and p99)"
        description={text.latency}
        times={series.times}
        lines={lines.latency}
        format={formatMs}
      />
    </div>
  );
}
