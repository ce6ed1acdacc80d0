import { useMemo } from 'react';
import { type ChartLine, TimeSeriesChart } from '../overview/time-series-chart.tsx';
import { formatCount, formatMs } from '../ui/format.ts';
import type { LoadRunSeries } from './load-run-series.ts';

const count = (value: number) => formatCount(Math.round(value));

/** A load run second by second: its latency, and its requests sent, failed and dropped (uPlot, loaded when first shown). */
export default function LoadRunCharts({ series }: { series: LoadRunSeries }) {
  const lines = useMemo(
    () => ({
      latency: [
        { label: 'p50', values: series.p50, color: '#0f766e' },
        { label: 'p99', values: series.p99, color: '#9a3412' },
      ] as ChartLine[],
      requests: [
        { label: 'Sent', values: series.sent, color: '#4338ca', filled: true },
        { label: 'Errors', values: series.errors, color: '#b91c1c' },
        { label: 'Dropped', values: series.dropped, color: '#a16207' },
      ] as ChartLine[],
    }),
    [series],
  );
  return (
    <div className="chart-grid">
      <TimeSeriesChart
        title="Latency per second (p50 and p99)"
        description={series.latencyDescription}
        times={series.times}
        lines={lines.latency}
        format={formatMs}
      />
      <TimeSeriesChart
        title="Requests per second"
        description={series.requestsDescription}
        times={series.times}
        lines={lines.requests}
        format={count}
        whole
      />
    </div>
  );
}
