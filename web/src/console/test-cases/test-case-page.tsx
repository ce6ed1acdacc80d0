import { type ReactNode, useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { ApiError } from '../../api/client.ts';
import { Badge, MethodBadge } from '../../ui/badges.tsx';
import { ProblemMessage } from '../../ui/problem-message.tsx';
import { fetchLoadRuns } from '../api/load-runs.ts';
import { deleteTestCase, fetchTestCase, fetchTestRuns, type TestCase } from '../api/test-cases.ts';
import { RoleNote, useRoleAllows } from '../console-role.tsx';
import { formatDateTime, formatMs } from '../ui/format.ts';
import { LoadView } from '../ui/load-view.tsx';
import { RefreshButton } from '../ui/refresh-button.tsx';
import { useLoad } from '../ui/use-load.ts';
import { LoadRunsSection } from './load-runs-section.tsx';
import { RunHistory } from './run-history.tsx';
import { RunOutcome, useRunNow } from './run-outcome.tsx';
import { caseHref, casesHref } from './test-case-links.ts';
import { scheduleText } from './test-case-view.ts';

const json = (value: unknown) => JSON.stringify(value, null, 2);

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Block({ label, value }: { label: string; value: unknown }) {
  return (
    <div className="case-block">
      <p className="example-label">{label}</p>
      <pre>
        <code>{json(value)}</code>
      </pre>
    </div>
  );
}

/** What the case sends and what it expects, as stored. */
function CaseFacts({ testCase }: { testCase: TestCase }) {
  const { request, expect } = testCase;
  const pairs = (record: Record<string, string> | undefined, separator: string) =>
    Object.entries(record ?? {}).map(([name, value]) => (
      <li key={name}>
        <code>
          {name}
          {separator}
          {value}
        </code>
      </li>
    ));
  return (
    <>
      <dl className="facts card">
        <Fact term="Request">
          <MethodBadge method={request.method} /> <code className="path">{request.path}</code>
        </Fact>
        <Fact term="Query parameters">
          {request.query && Object.keys(request.query).length ? (
            <ul className="plain-list">{pairs(request.query, '=')}</ul>
          ) : (
            '–'
          )}
        </Fact>
        <Fact term="Headers">
          {request.headers && Object.keys(request.headers).length ? (
            <ul className="plain-list">{pairs(request.headers, ': ')}</ul>
          ) : (
            '–'
          )}
        </Fact>
        <Fact term="Expected status">{expect.status}</Fact>
        <Fact term="Maximum latency">
          {expect.maxLatencyMs !== undefined ? formatMs(expect.maxLatencyMs) : 'No limit'}
        </Fact>
        <Fact term="Environment">{testCase.environment === 'production' ? 'Production' : 'Sandbox'}</Fact>
        <Fact term="Schedule">
          {scheduleText(testCase)}
          {testCase.enabled ? null : <span className="cell-note">disabled</span>}
        </Fact>
        <Fact term="Next run">
          {testCase.nextRunAt ? (
            <time dateTime={testCase.nextRunAt}>{formatDateTime(testCase.nextRunAt)}</time>
          ) : (
            '–'
          )}
        </Fact>
        <Fact term="Updated">
          <time dateTime={testCase.updatedAt}>{formatDateTime(testCase.updatedAt)}</time> (revision{' '}
          {testCase.revision})
        </Fact>
      </dl>
      {expect.jsonPath?.length ? (
        <div className="case-block">
          <p className="example-label">JSONPath assertions</p>
          <ul className="assertion-facts">
            {expect.jsonPath.map((assertion, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: assertions are stored in order and shown as they are.
              <li key={index}>
                <code>{assertion.path}</code>{' '}
                {assertion.equals !== undefined ? (
                  <>
                    equals <code>{JSON.stringify(assertion.equals)}</code>
                  </>
                ) : assertion.exists === false ? (
                  'does not exist'
                ) : (
                  'exists'
                )}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {request.body !== undefined ? <Block label="Request body" value={request.body} /> : null}
      {expect.bodySchema ? <Block label="Body schema" value={expect.bodySchema} /> : null}
    </>
  );
}

/** Deleting the case, confirmed first. */
function DeleteCase({ apiName, testCase }: { apiName: string; testCase: TestCase }) {
  const [, navigate] = useLocation();
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const opener = useRef<HTMLButtonElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  const questionId = useId();
  useEffect(() => {
    if (confirming) confirm.current?.focus();
  }, [confirming]);
  const remove = async () => {
    setDeleting(true);
    setFailure(undefined);
    try {
      await deleteTestCase(apiName, testCase.caseId);
      navigate(`${casesHref(apiName)}?deleted=${encodeURIComponent(testCase.name)}`, { replace: true });
    } catch (error) {
      setFailure(error);
      setDeleting(false);
    }
  };
  if (!confirming)
    return (
      <button ref={opener} type="button" className="button" onClick={() => setConfirming(true)}>
        Delete the test case
      </button>
    );
  return (
    <div className="confirm-box">
      <p id={questionId} className="confirm-question">
        Delete <strong>{testCase.name}</strong>? It stops running on its schedule, and its runs are no longer
        shown here.
      </p>
      {failure ? <ProblemMessage error={failure} context="The test case was not deleted." /> : null}
      <div className="form-actions">
        <button
          ref={confirm}
          type="button"
          className="button button-danger"
          onClick={remove}
          disabled={deleting}
        >
          {deleting ? 'Deleting…' : 'Yes, delete it'}
        </button>
        <button
          type="button"
          className="button"
          disabled={deleting}
          onClick={() => {
            setConfirming(false);
            requestAnimationFrame(() => opener.current?.focus());
          }}
        >
          Cancel
        </button>
      </div>
    </div>
  );
}

/** One test case: what it sends and expects, run it now, its runs, its load runs, and edit or delete it. */
export function TestCasePage({ name, caseId }: { name: string; caseId: string }) {
  const canWrite = useRoleAllows('operator');
  const search = new URLSearchParams(useSearch());
  const testCase = useLoad(`test-case:${name}:${caseId}`, () => fetchTestCase(name, caseId));
  const runs = useLoad(`test-runs:${name}:${caseId}`, () => fetchTestRuns(name, caseId));
  const loadRuns = useLoad(`load-runs:${name}:${caseId}`, () => fetchLoadRuns(name, caseId));
  const { reload: reloadCase } = testCase;
  const { reload: reloadRuns } = runs;
  const { reload: reloadLoadRuns } = loadRuns;
  const reload = useCallback(() => {
    reloadCase();
    reloadRuns();
  }, [reloadCase, reloadRuns]);
  const reloadAll = useCallback(() => {
    reload();
    reloadLoadRuns();
  }, [reload, reloadLoadRuns]);
  const { runs: started, start } = useRunNow(name, reload);
  const state = testCase.state;
  const caseName = state.status === 'ready' ? state.data.data.name : 'Test case';
  const notFound = state.status === 'error' && state.error instanceof ApiError && state.error.status === 404;
  const run = started[caseId];

  return (
    <>
      <title>{`${caseName} · Test cases · ${name} · Console · Portico developers`}</title>
      <p className="breadcrumb">
        <Link href={casesHref(name)}>Test cases of {name}</Link>
      </p>
      <div className="console-heading">
        <h1>{caseName}</h1>
        <RefreshButton
          refreshing={testCase.refreshing || runs.refreshing || loadRuns.refreshing}
          onRefresh={reloadAll}
        />
      </div>
      {search.has('created') ? (
        <p className="note note-success" role="status">
          The test case was created. Run it now to see what it gets.
        </p>
      ) : null}
      {search.has('saved') ? (
        <p className="note note-success" role="status">
          The test case was saved.
        </p>
      ) : null}
      {notFound ? (
        <p>
          {name} has no test case <code>{caseId}</code>.{' '}
          <Link href={casesHref(name)}>See its test cases</Link>.
        </p>
      ) : (
        <LoadView state={state} loading="Loading the test case…" failure="The test case could not be loaded.">
          {({ data }) => (
            <>
              <div className="api-meta">
                <Badge tone={data.environment === 'production' ? 'warning' : 'info'}>
                  {data.environment}
                </Badge>
                <Badge tone={data.enabled ? 'success' : 'neutral'}>
                  {data.enabled ? 'enabled' : 'disabled'}
                </Badge>
                <span className="muted">
                  <code>{data.caseId}</code>
                </span>
              </div>
              {canWrite ? (
                <div className="case-actions">
                  <button
                    type="button"
                    className="button button-primary"
                    onClick={() => start(caseId)}
                    disabled={run?.step === 'running'}
                  >
                    {run?.step === 'running' ? 'Running…' : 'Run now'}
                  </button>
                  <Link href={`${caseHref(name, caseId)}/edit`} className="button">
                    Edit the test case
                  </Link>
                  <DeleteCase apiName={name} testCase={data} />
                </div>
              ) : (
                <RoleNote needed="operator" what="Running, editing or deleting a test case" />
              )}
              {run ? <RunOutcome state={run} name={data.name} /> : null}
              <section aria-labelledby="case-definition">
                <h2 id="case-definition">What it checks</h2>
                <CaseFacts testCase={data} />
              </section>
            </>
          )}
        </LoadView>
      )}
      {notFound ? null : (
        <section aria-labelledby="case-runs">
          <h2 id="case-runs">Run history</h2>
          <LoadView state={runs.state} loading="Loading the runs…" failure="The runs could not be loaded.">
            {(items) => <RunHistory runs={items} />}
          </LoadView>
        </section>
      )}
      {notFound ? null : (
        <LoadRunsSection
          apiName={name}
          caseId={caseId}
          environment={state.status === 'ready' ? state.data.data.environment : undefined}
          loadRuns={loadRuns}
        />
      )}
    </>
  );
}
