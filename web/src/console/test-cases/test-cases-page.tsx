import { Fragment } from 'react';
import { Link, useSearch } from 'wouter';
import { Badge, MethodBadge, StatusCode } from '../../ui/badges.tsx';
import { fetchTestCases, type TestCase } from '../api/test-cases.ts';
import { useRoleAllows } from '../console-role.tsx';
import { formatDateTime, formatMs } from '../ui/format.ts';
import { LoadView } from '../ui/load-view.tsx';
import { RefreshButton } from '../ui/refresh-button.tsx';
import { TableScroll } from '../ui/table-scroll.tsx';
import { useLoad } from '../ui/use-load.ts';
import { RunOutcome, type RunState, useRunNow } from './run-outcome.tsx';
import { caseHref, casesHref } from './test-case-links.ts';
import { scheduleText } from './test-case-view.ts';

function LastRun({ testCase }: { testCase: TestCase }) {
  const run = testCase.lastRun;
  if (!run) return <span className="muted">Never run</span>;
  return (
    <>
      <Badge tone={run.ok ? 'success' : 'danger'}>{run.ok ? 'Passed' : 'Failed'}</Badge>{' '}
      {run.status !== undefined ? (
        <>
          <StatusCode status={run.status} /> {formatMs(run.latencyMs)}
        </>
      ) : (
        'no answer'
      )}
      <span className="cell-note">
        <time dateTime={run.at}>{formatDateTime(run.at)}</time>
      </span>
    </>
  );
}

interface TableProps {
  apiName: string;
  cases: TestCase[];
  canRun: boolean;
  runs: Record<string, RunState>;
  onRun: (caseId: string) => void;
}

function CasesTable({ apiName, cases, canRun, runs, onRun }: TableProps) {
  if (cases.length === 0) return <p>{apiName} has no test case yet.</p>;
  const columns = canRun ? 6 : 5;
  return (
    <TableScroll label={`Test cases of ${apiName}`}>
      <table className="data-table">
        <caption className="visually-hidden">Test cases of {apiName}</caption>
        <thead>
          <tr>
            <th scope="col">Case</th>
            <th scope="col">Environment</th>
            <th scope="col">Schedule</th>
            <th scope="col">Last run</th>
            <th scope="col">Next run</th>
            {canRun ? <th scope="col">Run</th> : null}
          </tr>
        </thead>
        <tbody>
          {[...cases]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((testCase) => {
              const run = runs[testCase.caseId];
              return (
                <Fragment key={testCase.caseId}>
                  <tr>
                    <th scope="row">
                      <Link href={caseHref(apiName, testCase.caseId)}>{testCase.name}</Link>
                      <span className="cell-note">
                        <MethodBadge method={testCase.request.method} />{' '}
                        <code className="path">{testCase.request.path}</code>
                      </span>
                    </th>
                    <td>{testCase.environment === 'production' ? 'Production' : 'Sandbox'}</td>
                    <td>
                      {scheduleText(testCase)}
                      {!testCase.enabled && testCase.everyMinutes === undefined ? (
                        <span className="cell-note">disabled</span>
                      ) : null}
                    </td>
                    <td className="nowrap">
                      <LastRun testCase={testCase} />
                    </td>
                    <td className="nowrap">
                      {testCase.nextRunAt ? (
                        <time dateTime={testCase.nextRunAt}>{formatDateTime(testCase.nextRunAt)}</time>
                      ) : (
                        '–'
                      )}
                    </td>
                    {canRun ? (
                      <td>
                        <button
                          type="button"
                          className="button button-small"
                          onClick={() => onRun(testCase.caseId)}
                          disabled={run?.step === 'running'}
                          aria-label={`${run?.step === 'running' ? 'Running' : 'Run now'}: ${testCase.name}`}
                        >
                          {run?.step === 'running' ? 'Running…' : 'Run now'}
                        </button>
                      </td>
                    ) : null}
                  </tr>
                  {run ? (
                    <tr className="run-row">
                      <td colSpan={columns}>
                        <RunOutcome state={run} name={testCase.name} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** An API's test cases: their last run and schedule, run now, and a new one. */
export function TestCasesPage({ name }: { name: string }) {
  const canWrite = useRoleAllows('operator');
  const deleted = new URLSearchParams(useSearch()).get('deleted');
  const cases = useLoad(`test-cases:${name}`, () => fetchTestCases(name));
  const { runs, start } = useRunNow(name, cases.reload);
  return (
    <>
      <title>{`Test cases · ${name} · APIs · Console · Portico developers`}</title>
      <p className="breadcrumb">
        <Link href={`/apis/${encodeURIComponent(name)}`}>{name}</Link>
      </p>
      <div className="console-heading">
        <h1>Test cases of {name}</h1>
        <div className="heading-actions">
          <RefreshButton refreshing={cases.refreshing} onRefresh={cases.reload} />
          {canWrite ? (
            <Link href={`${casesHref(name)}/new`} className="button button-primary">
              New test case
            </Link>
          ) : null}
        </div>
      </div>
      <p className="lead">
        Requests sent to {name} through the gateway as the platform’s tester app, each with what its answer
        must be: on their schedule, or when run from here.
      </p>
      {deleted !== null ? (
        <p className="note note-success" role="status">
          The test case {deleted ? <strong>{deleted}</strong> : null} was deleted.
        </p>
      ) : null}
      <LoadView
        state={cases.state}
        loading="Loading the test cases…"
        failure="The test cases could not be loaded."
      >
        {(items) => <CasesTable apiName={name} cases={items} canRun={canWrite} runs={runs} onRun={start} />}
      </LoadView>
    </>
  );
}
