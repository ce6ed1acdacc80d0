import { lazy, Suspense, useMemo } from 'react';
import { Badge, StatusCode } from '../../ui/badges.tsx';
import { Loading } from '../../ui/loading.tsx';
import type { TestRun } from '../api/test-cases.ts';
import { formatDateTime, formatMs } from '../ui/format.ts';
import { TableScroll } from '../ui/table-scroll.tsx';
import { BodyExcerpt, RunFailures } from './run-outcome.tsx';
import { latencySeries } from './test-case-view.ts';

const LatencyChart = lazy(() => import('./latency-chart.tsx'));

/** What a run failed and the body it got, folded away. */
function RunDetails({ run }: { run: TestRun }) {
  if (run.failures.length === 0 && !run.bodyExcerpt) return <>–</>;
  const when = formatDateTime(run.at);
  return (
    <details className="run-details">
      <summary className="run-summary">
        {run.failures.length === 0
          ? 'Body'
          : run.failures.length === 1
            ? '1 failed check'
            : `${run.failures.length} failed checks`}
        <span className="visually-hidden"> of the run at {when}</span>
      </summary>
      <div className="run-details-body">
        <RunFailures run={run} />
        <BodyExcerpt run={run} />
      </div>
    </details>
  );
}

/** A case's runs, newest first, with their latency over time. */
export function RunHistory({ runs }: { runs: TestRun[] }) {
  const series = useMemo(() => latencySeries(runs), [runs]);
  if (runs.length === 0) return <p>The case has not run yet.</p>;
  return (
    <>
      {series ? (
        <Suspense fallback={<Loading label="Drawing the latency chart…" />}>
          <LatencyChart series={series} />
        </Suspense>
      ) : null}
      <TableScroll label="Runs, newest first">
        <table className="data-table">
          <caption className="visually-hidden">Runs, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Trigger</th>
              <th scope="col">Result</th>
              <th scope="col">Status</th>
              <th scope="col" className="numeric">
                Latency
              </th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.runId} className={run.ok ? undefined : 'run-failed'}>
                <th scope="row" className="nowrap">
                  <time dateTime={run.at}>{formatDateTime(run.at)}</time>
                </th>
                <td>{run.trigger === 'schedule' ? 'Schedule' : 'Run now'}</td>
                <td>
                  <Badge tone={run.ok ? 'success' : 'danger'}>{run.ok ? 'Passed' : 'Failed'}</Badge>
                </td>
                <td>{run.status !== undefined ? <StatusCode status={run.status} /> : 'no answer'}</td>
                <td className="numeric">{run.status !== undefined ? formatMs(run.latencyMs) : '–'}</td>
                <td>
                  <RunDetails run={run} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}
