import { Link } from 'wouter';
import { Badge } from '../../ui/badges.tsx';
import type { LoadRun } from '../api/load-runs.ts';
import { formatDateTime, formatMs } from '../ui/format.ts';
import { TableScroll } from '../ui/table-scroll.tsx';
import { answeredOf, errorRateText, profileText, statusLabel, statusTone } from './load-run-view.ts';
import { loadRunHref } from './test-case-links.ts';

/** Sent so far while it runs, in all once completed. */
function sentText(run: LoadRun): string {
  if (run.summary) return String(run.summary.sent);
  if (run.progress && run.status === 'running') return `${run.progress.sent} of ${run.progress.planned}`;
  return '–';
}

/** A latency of the run's answered requests, once completed. */
function latencyText(run: LoadRun, percentile: 'p50' | 'p99'): string {
  return run.summary && answeredOf(run.summary) > 0 ? formatMs(run.summary.latencyMs[percentile]) : '–';
}

interface Props {
  apiName: string;
  caseId: string;
  runs: LoadRun[];
  /** The run shown above the table. */
  shownId: string | undefined;
}

/** The case's last load runs, newest first; each links to its result. */
export function LoadRunsTable({ apiName, caseId, runs, shownId }: Props) {
  if (runs.length === 0) return <p>The case has had no load run yet.</p>;
  return (
    <TableScroll label="Load runs, newest first">
      <table className="data-table">
        <caption className="visually-hidden">Load runs, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Profile</th>
            <th scope="col">Status</th>
            <th scope="col" className="numeric">
              Sent
            </th>
            <th scope="col" className="numeric">
              Error rate
            </th>
            <th scope="col" className="numeric">
              p50
            </th>
            <th scope="col" className="numeric">
              p99
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const at = run.startedAt ?? run.createdAt;
            const shown = run.loadRunId === shownId;
            return (
              <tr key={run.loadRunId}>
                <th scope="row" className="nowrap">
                  <Link
                    href={loadRunHref(apiName, caseId, run.loadRunId)}
                    aria-current={shown ? 'true' : undefined}
                  >
                    <span className="visually-hidden">Load run of </span>
                    <time dateTime={at}>{formatDateTime(at)}</time>
                  </Link>
                  {shown ? <span className="cell-note">Shown above</span> : null}
                </th>
                <td className="nowrap">{profileText(run.profile)}</td>
                <td>
                  <Badge tone={statusTone(run.status)}>{statusLabel(run.status)}</Badge>
                </td>
                <td className="numeric nowrap">{sentText(run)}</td>
                <td className="numeric">{run.summary ? errorRateText(run.summary) : '–'}</td>
                <td className="numeric nowrap">{latencyText(run, 'p50')}</td>
                <td className="numeric nowrap">{latencyText(run, 'p99')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
