import { useState } from 'react';
import { useSearch } from 'wouter';
import { type LogSearchParams, searchLogs } from '../api/logs.ts';
import { RoleNote, useRoleAllows } from '../console-role.tsx';
import { LoadView } from '../ui/load-view.tsx';
import { useLoad } from '../ui/use-load.ts';
import { FindTraceForm } from './find-trace-form.tsx';
import { LogResults } from './log-results.tsx';
import { checkSearch, searchFormOf } from './log-search.ts';
import { LogSearchFormView } from './log-search-form.tsx';

/** The first search: the one in the page's address, or the last hour's calls. */
function initialParams(form: ReturnType<typeof searchFormOf>): LogSearchParams {
  const check = checkSearch(form);
  return check.ok ? check.params : { limit: form.limit };
}

function LogSearch() {
  const search = useSearch();
  const [initialForm] = useState(() => searchFormOf(search));
  const [params, setParams] = useState<LogSearchParams>(() => initialParams(initialForm));
  const result = useLoad(JSON.stringify(params), () => searchLogs(params));
  return (
    <>
      <LogSearchFormView
        initial={initialForm}
        busy={result.state.status === 'loading' || result.refreshing}
        onSearch={(next) => {
          // The same search again is a refresh: the range's end is "now" again.
          if (JSON.stringify(next) === JSON.stringify(params)) result.reload();
          else setParams(next);
        }}
      />
      <LoadView state={result.state} loading="Searching the request log…" failure="The search failed.">
        {(found) => <LogResults result={found} />}
      </LoadView>
    </>
  );
}

export function LogsPage() {
  const canSearch = useRoleAllows('operator');
  return (
    <>
      <title>Logs · Console · Portico developers</title>
      <h1>Logs</h1>
      <p className="lead">Whole calls through the gateway, secrets redacted when they were logged.</p>
      <FindTraceForm />
      {canSearch ? <LogSearch /> : <RoleNote needed="operator" what="Searching the request log" />}
    </>
  );
}
