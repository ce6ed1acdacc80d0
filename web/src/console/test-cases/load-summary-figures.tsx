import { StatusCode } from '../../ui/badges.tsx';
import type { LoadSummary } from '../api/load-runs.ts';
import { formatCount, formatMs } from '../ui/format.ts';
import { StatGrid } from '../ui/stat-grid.tsx';
import { answeredOf, errorRateText, rateText, statusCounts } from './load-run-view.ts';

/** What a completed load run measured: its requests, their latency, and their answers by status. */
export function LoadSummaryFigures({ summary }: { summary: LoadSummary }) {
  const answered = answeredOf(summary) > 0;
  const latency = (ms: number) => (answered ? formatMs(ms) : '–');
  const statuses = statusCounts(summary.statuses);
  return (
    <>
      <p className="example-label">Requests</p>
      <StatGrid
        figures={[
          { label: 'Planned', value: formatCount(summary.planned) },
          { label: 'Sent', value: formatCount(summary.sent) },
          { label: 'Dropped', value: formatCount(summary.dropped) },
          { label: 'Errors', value: formatCount(summary.errors) },
          { label: 'Error rate', value: errorRateText(summary) },
          { label: 'Achieved rate', value: rateText(summary.achievedRatePerSecond) },
        ]}
      />
      <p className="example-label">Latency of the answered requests</p>
      <StatGrid
        figures={[
          { label: 'p50', value: latency(summary.latencyMs.p50) },
          { label: 'p90', value: latency(summary.latencyMs.p90) },
          { label: 'p99', value: latency(summary.latencyMs.p99) },
          { label: 'Max', value: latency(summary.latencyMs.max) },
          { label: 'Mean', value: latency(summary.latencyMs.mean) },
        ]}
      />
      <p className="example-label">Answers by status</p>
      {statuses.length ? (
        <ul className="plain-list">
          {statuses.map(({ status, count }) => (
            <li key={status ?? 'none'}>
              {status ? <StatusCode status={status} /> : 'No answer'}: {formatCount(count)}
            </li>
          ))}
        </ul>
      ) : (
        <p>None: no request was sent.</p>
      )}
    </>
  );
}
