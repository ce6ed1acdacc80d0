import { lazy, Suspense, useEffect, useId, useMemo, useRef } from 'react';
import { Badge } from '../../ui/badges.tsx';
import { Loading } from '../../ui/loading.tsx';
import { ProblemMessage } from '../../ui/problem-message.tsx';
import type { LoadRun } from '../api/load-runs.ts';
import { formatDateTime, formatDuration } from '../ui/format.ts';
import { loadRunSeries } from './load-run-series.ts';
import { loadRunSentence, profileText, statusLabel, statusTone } from './load-run-view.ts';
import { LoadSummaryFigures } from './load-summary-figures.tsx';
import { usePolledLoadRun } from './use-polled-load-run.ts';

const LoadRunCharts = lazy(() => import('./load-run-charts.tsx'));

/** How many of the planned requests have gone out: seen and readable, not announced at each poll. */
function Progress({ sent, planned }: { sent: number; planned: number }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>
        Requests sent: {sent} of {planned}
      </label>
      <progress id={id} max={planned} value={sent} />
    </div>
  );
}

function LoadRunResult({ run }: { run: LoadRun }) {
  const series = useMemo(() => loadRunSeries(run), [run]);
  return (
    <>
      <div className="api-meta">
        <Badge tone={statusTone(run.status)}>{statusLabel(run.status)}</Badge>
        <Badge tone={run.environment === 'production' ? 'warning' : 'info'}>{run.environment}</Badge>
        <span>{profileText(run.profile)}</span>
        <span className="muted">
          requested by {run.requestedBy}
          {run.summary ? `, took ${formatDuration(run.summary.durationMs)}` : ''}
        </span>
      </div>
      <div role="status">
        <p>{loadRunSentence(run)}</p>
      </div>
      {run.status === 'running' && run.progress ? (
        <Progress sent={run.progress.sent} planned={run.progress.planned} />
      ) : null}
      {run.summary ? <LoadSummaryFigures summary={run.summary} /> : null}
      {series ? (
        <Suspense fallback={<Loading label="Drawing the load run’s charts…" />}>
          <LoadRunCharts series={series} />
        </Suspense>
      ) : null}
    </>
  );
}

interface Props {
  apiName: string;
  caseId: string;
  loadRunId: string;
  /** Focus its heading when shown: it was just chosen or started. */
  focus: boolean;
  /** The run, seen queued or running here, has ended. */
  onSettled: () => void;
}

/** One load run: where it is while it runs (read again every 2 s), then what it measured. */
export function LoadRunDetail({ apiName, caseId, loadRunId, focus, onSettled }: Props) {
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const { state, refreshing, reload } = usePolledLoadRun(apiName, caseId, loadRunId, onSettled);
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus]);
  const run = state.status === 'ready' ? state.data : undefined;
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId} ref={heading} tabIndex={-1} className="h-small">
        {run ? `Load run of ${formatDateTime(run.startedAt ?? run.createdAt)}` : 'Load run'}
      </h3>
      {state.status === 'error' ? (
        <>
          <ProblemMessage error={state.error} context="The load run could not be read." />
          <button type="button" className="button" onClick={reload} disabled={refreshing}>
            Read it again
          </button>
        </>
      ) : run ? (
        <LoadRunResult run={run} />
      ) : (
        <Loading label="Loading the load run…" />
      )}
    </section>
  );
}
