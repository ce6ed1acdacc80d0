import { useMemo } from 'react';
import { type ChartLine, TimeSeriesChart } from '../overview/time-series-chart.tsx';
import { formatMs } from '../ui/format.ts';
import type { LatencySeries } from './test-case-view.ts';

/** The latency of a case's runs over time (loaded with uPlot when first shown). */
export default function LatencyChart({ series }: { series: LatencySeries }) {
  const lines = useMemo(
    (): ChartLine[] => [{ label: 'Latency', values: series.latencies, color: '#0f766e' }],
    [series],
  );
  return (
    <TimeSeriesChart
      title="Latency of the runs"
      description={series.description}
      times={series.times}
      lines={lines}
      format={formatMs}
    />
  );
}
