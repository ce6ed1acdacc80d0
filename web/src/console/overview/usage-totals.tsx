import type { CallFigures } from '../api/analytics.ts';
import { formatCount, formatMs, formatShare } from '../ui/format.ts';

/** The range's headline figures, as text (the charts' numbers, readable by everyone). */
export function UsageTotals({ totals }: { totals: CallFigures }) {
  const figures = [
    { label: 'Calls', value: formatCount(totals.count) },
    { label: 'Failed', value: totals.count ? formatShare(totals.errors / totals.count) : '–' },
    { label: 'Latency p50', value: totals.latencyMs ? formatMs(totals.latencyMs.p50) : '–' },
    { label: 'Latency p99', value: totals.latencyMs ? formatMs(totals.latencyMs.p99) : '–' },
  ];
  return (
    <dl className="stat-grid">
      {figures.map((figure) => (
        <div key={figure.label} className="stat">
          <dt>{figure.label}</dt>
          <dd>{figure.value}</dd>
        </div>
      ))}
    </dl>
  );
}
