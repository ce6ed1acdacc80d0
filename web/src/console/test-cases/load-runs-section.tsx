import { useLocation, useSearch } from 'wouter';
import type { LoadRun } from '../api/load-runs.ts';
import type { CaseEnvironment } from '../api/test-cases.ts';
import { RoleNote, useRoleAllows } from '../console-role.tsx';
import { LoadView } from '../ui/load-view.tsx';
import type { Loaded } from '../ui/use-load.ts';
import { LoadRunDetail } from './load-run-detail.tsx';
import { LoadRunForm } from './load-run-form.tsx';
import { LoadRunsTable } from './load-runs-table.tsx';
import { loadRunHref } from './test-case-links.ts';

interface Props {
  apiName: string;
  caseId: string;
  environment: CaseEnvironment | undefined;
  /** The case's last load runs, newest first. */
  loadRuns: Loaded<LoadRun[]>;
}

/**
 * A case's load runs: start one, see the one chosen in the address (`?loadRun=`) or else the newest,
 * and the others.
 */
export function LoadRunsSection({ apiName, caseId, environment, loadRuns }: Props) {
  const canStart = useRoleAllows('operator');
  const [, navigate] = useLocation();
  const chosen = new URLSearchParams(useSearch()).get('loadRun') ?? undefined;
  const { state, reload } = loadRuns;
  const shownId = chosen ?? (state.status === 'ready' ? state.data[0]?.loadRunId : undefined);
  return (
    <section aria-labelledby="case-load-runs">
      <h2 id="case-load-runs">Load runs</h2>
      <p>
        A load run sends the case’s request through the gateway at a fixed rate for up to a minute, as the
        platform’s tester app, and measures the answers. Requests go out on time whether answers come back or
        not: one due while the most allowed are still in flight is dropped, not sent. An API has one load run
        at a time.
      </p>
      {canStart ? (
        <LoadRunForm
          apiName={apiName}
          caseId={caseId}
          environment={environment}
          onStarted={(run) => {
            reload();
            navigate(loadRunHref(apiName, caseId, run.loadRunId));
          }}
        />
      ) : (
        <RoleNote needed="operator" what="Starting a load run" />
      )}
      {shownId ? (
        <LoadRunDetail
          key={shownId}
          apiName={apiName}
          caseId={caseId}
          loadRunId={shownId}
          focus={chosen !== undefined}
          onSettled={reload}
        />
      ) : null}
      <h3 className="h-small">Recent load runs</h3>
      <LoadView state={state} loading="Loading the load runs…" failure="The load runs could not be loaded.">
        {(runs) => <LoadRunsTable apiName={apiName} caseId={caseId} runs={runs} shownId={shownId} />}
      </LoadView>
    </section>
  );
}
