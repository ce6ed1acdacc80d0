import { useCallback, useEffect, useState } from 'react';
import { Badge, StatusCode } from '../../ui/badges.tsx';
import { ProblemMessage } from '../../ui/problem-message.tsx';
import { runTestCase, type TestRun } from '../api/test-cases.ts';
import { formatDateTime, formatMs } from '../ui/format.ts';
import { checkLabel, excerptShown } from './test-case-view.ts';

/** A run asked for from the console: under way, its result, or why there is none. */
export type RunState =
  | { step: 'running' }
  | { step: 'done'; run: TestRun }
  | { step: 'failed'; error: unknown };

/** Runs cases now, one state per case; `onRan` after each run that got a result (to read the list again). */
export function useRunNow(apiName: string, onRan: () => void) {
  const [runs, setRuns] = useState<Record<string, RunState>>({});
  const start = useCallback(
    async (caseId: string) => {
      setRuns((previous) => ({ ...previous, [caseId]: { step: 'running' } }));
      try {
        const run = await runTestCase(apiName, caseId);
        setRuns((previous) => ({ ...previous, [caseId]: { step: 'done', run } }));
        onRan();
      } catch (error) {
        setRuns((previous) => ({ ...previous, [caseId]: { step: 'failed', error } }));
      }
    },
    [apiName, onRan],
  );
  return { runs, start };
}

/** Seconds since the run began: seen, not announced (the status says once that it may take 30 s). */
function Elapsed() {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setSeconds((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <span className="muted" aria-hidden="true">
      {seconds} s
    </span>
  );
}

/** The checks a run failed: which, where and why. */
export function RunFailures({ run }: { run: TestRun }) {
  if (run.failures.length === 0) return null;
  return (
    <ul className="run-failures">
      {run.failures.map((failure) => (
        <li key={`${failure.check}:${failure.pointer}:${failure.message}`}>
          <strong>{checkLabel(failure.check)}</strong> <code>{failure.pointer}</code> {failure.message}
        </li>
      ))}
    </ul>
  );
}

/** The start of the answer's body, as the run kept it. */
export function BodyExcerpt({ run }: { run: TestRun }) {
  if (!run.bodyExcerpt) return null;
  return (
    <>
      <p className="example-label">Answer body (first 2,048 characters)</p>
      <pre className="body-excerpt">
        <code>{excerptShown(run.bodyExcerpt)}</code>
      </pre>
    </>
  );
}

/** A run's result in a line: passed or failed, the status, the latency, when. */
export function RunHeadline({ run, name }: { run: TestRun; name?: string }) {
  return (
    <p className="run-headline">
      {name ? <span className="visually-hidden">{name}: </span> : null}
      <Badge tone={run.ok ? 'success' : 'danger'}>{run.ok ? 'Passed' : 'Failed'}</Badge>{' '}
      {run.status !== undefined ? <StatusCode status={run.status} /> : <span>no answer</span>}{' '}
      {run.status !== undefined ? <span>in {formatMs(run.latencyMs)}</span> : null}{' '}
      <span className="muted">
        · <time dateTime={run.at}>{formatDateTime(run.at)}</time>
      </span>
    </p>
  );
}

/** What "Run now" gave: progress while the gateway answers (up to 30 s), then the result in full. */
export function RunOutcome({ state, name }: { state: RunState; name: string }) {
  return (
    <div className="run-outcome">
      <div role="status">
        {state.step === 'running' ? (
          <p className="loading">
            <span className="spinner" aria-hidden="true" />
            Running {name} through the gateway: this can take up to 25 seconds. <Elapsed />
          </p>
        ) : null}
        {state.step === 'done' ? <RunHeadline run={state.run} name={name} /> : null}
      </div>
      {state.step === 'done' ? (
        <>
          <RunFailures run={state.run} />
          <BodyExcerpt run={state.run} />
        </>
      ) : null}
      {state.step === 'failed' ? (
        <ProblemMessage error={state.error} context={`${name} could not be run.`} />
      ) : null}
    </div>
  );
}
