import type { CallFigures } from '../api/analytics.ts';
import { formatCount, formatMs, formatShare } from '../ui/format.ts';
import { StatGrid } from '../ui/stat-grid.tsx';

/** The range's headline figures, as text (the charts' numbers, readable by everyone). */
export function UsageTotals({ totals }: { totals: CallFigures }) {
  const figures = [
    { label: 'Calls', value: formatCount(totals.count) },
    { label: 'Failed', value: totals.count ? formatShare(totals.errors / totals.count) : '–' },
    { label: 'Latency p50', value: totals.latencyMs ? formatMs(totals.latencyMs.p50) : '–' },
    { label: 'Latency p99', value: totals.latencyMs ? formatMs(totals.latencyMs.p99) : '–' },
  ];
  return <StatGrid figures={figures} />;
}
