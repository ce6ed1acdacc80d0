import { Link, useSearch } from 'wouter';
import { fetchTrace } from '../api/logs.ts';
import { formatMs } from '../ui/format.ts';
import { LoadView } from '../ui/load-view.tsx';
import { RefreshButton } from '../ui/refresh-button.tsx';
import { useLoad } from '../ui/use-load.ts';
import { reportCount } from './call-tree-rows.ts';
import { CallTreeTable } from './call-tree-table.tsx';
import { traceRangeOf } from './trace-address.ts';

/** A trace's call tree: every logged call that carried its id, and what providers reported on them. */
export function TracePage({ traceId }: { traceId: string }) {
  const search = useSearch();
  const range = traceRangeOf(search);
  const tree = useLoad(`${traceId}?${search}`, () => fetchTrace(traceId, range));
  const reports = tree.state.status === 'ready' ? reportCount(tree.state.data) : 0;
  return (
    <>
      <title>{`Trace ${traceId.slice(0, 8)}… · Console · Portico developers`}</title>
      <p className="breadcrumb">
        <Link href="/logs">Logs</Link>
      </p>
      <div className="console-heading">
        <h1>Trace</h1>
        <RefreshButton refreshing={tree.refreshing} onRefresh={tree.reload} />
      </div>
      <p className="trace-id">
        <code>{traceId}</code>
      </p>
      <p className="muted">
        {range.from && range.to
          ? 'Calls logged in the two hours around the call it was opened from.'
          : 'Calls logged in the last hour.'}{' '}
        <Link href={`/logs?traceId=${traceId}`}>Search the log for this trace</Link>
      </p>
      <LoadView state={tree.state} loading="Loading the call tree…" failure="The trace could not be loaded.">
        {(found) => (
          <>
            <dl className="stat-grid">
              <div className="stat">
                <dt>Calls</dt>
                <dd>{found.calls}</dd>
              </div>
              <div className="stat">
                <dt>Failed</dt>
                <dd>{found.failed}</dd>
              </div>
              <div className="stat">
                <dt>Duration</dt>
                <dd>{formatMs(found.durationMs)}</dd>
              </div>
              <div className="stat">
                <dt>Provider reports</dt>
                <dd>{reports}</dd>
              </div>
            </dl>
            {found.incomplete ? (
              <p className="note">Not every call may be shown: the log search stopped at its bound.</p>
            ) : null}
            <h2>Call tree</h2>
            <CallTreeTable tree={found} />
          </>
        )}
      </LoadView>
    </>
  );
}
