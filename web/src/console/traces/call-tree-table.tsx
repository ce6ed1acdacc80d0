import { Fragment } from 'react';
import { Link } from 'wouter';
import { Badge, MethodBadge, StatusCode } from '../../ui/badges.tsx';
import type { CallTree } from '../api/logs.ts';
import { formatMs } from '../ui/format.ts';
import { TableScroll } from '../ui/table-scroll.tsx';
import { callRows } from './call-tree-rows.ts';
import { ErrorReports } from './error-reports.tsx';

const percent = (share: number) => `${(share * 100).toFixed(2)}%`;
/** A call's cells start further in the deeper it is, as a tree's branches do. */
const indent = (depth: number) => ({ paddingInlineStart: `${0.75 + (depth - 1) * 1.5}rem` });

/**
 * The trace's calls as an indented table: each call under the call that made it, its latency as a bar
 * on the trace's timeline, and the error reports its API's provider sent under it.
 */
export function CallTreeTable({ tree }: { tree: CallTree }) {
  const rows = callRows(tree);
  return (
    <TableScroll label="Call tree">
      <table className="data-table call-tree">
        <caption className="visually-hidden">
          Calls of the trace, each followed by the calls it made, with latency on the trace’s timeline of{' '}
          {formatMs(tree.durationMs)}
        </caption>
        <thead>
          <tr>
            <th scope="col">Call</th>
            <th scope="col">Status</th>
            <th scope="col">Result</th>
            <th scope="col" className="numeric">
              Latency
            </th>
            <th scope="col" className="timeline-head">
              Timeline <span className="muted">(0 – {formatMs(tree.durationMs)})</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const { node } = row;
            const failed = !node.ok || node.errors.length > 0;
            return (
              <Fragment key={node.spanId}>
                <tr className={failed ? 'call-failed' : undefined}>
                  <th scope="row" style={indent(row.depth)}>
                    <span className="visually-hidden">
                      Level {row.depth}
                      {row.calledBy ? `, called by ${row.calledBy}` : ''}:{' '}
                    </span>
                    {row.depth > 1 ? (
                      <span className="tree-branch" aria-hidden="true">
                        └
                      </span>
                    ) : null}
                    <span className="call-api">{node.api}</span> <MethodBadge method={node.method} />{' '}
                    <code className="path">{node.path}</code>
                    <span className="cell-note">
                      <Link href={`/logs?requestId=${encodeURIComponent(node.requestId)}`}>
                        Request <code>{node.requestId}</code>
                      </Link>
                      {node.appId ? ` · app ${node.appId}` : ''}
                    </span>
                  </th>
                  <td>
                    <StatusCode status={node.status} />
                  </td>
                  <td>
                    {failed ? <Badge tone="danger">Error</Badge> : <Badge tone="success">OK</Badge>}
                    {node.errorType ? <span className="cell-note">{node.errorType}</span> : null}
                  </td>
                  <td className="numeric nowrap">
                    {formatMs(node.latencyMs)}
                    {node.upstreamLatencyMs !== undefined ? (
                      <span className="cell-note">upstream {formatMs(node.upstreamLatencyMs)}</span>
                    ) : null}
                  </td>
                  <td className="timeline-cell">
                    <span className="timeline" aria-hidden="true">
                      <span
                        className={failed ? 'timeline-bar timeline-bar-failed' : 'timeline-bar'}
                        style={{ left: percent(row.offset), width: percent(row.width) }}
                      />
                    </span>
                  </td>
                </tr>
                {node.errors.length > 0 ? (
                  <tr className="call-reports">
                    <td colSpan={5} style={indent(row.depth)}>
                      <ErrorReports reports={node.errors} />
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
