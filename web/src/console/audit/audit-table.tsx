import type { AuditEntry } from '../api/audit.ts';
import { formatDateTime } from '../ui/format.ts';
import { TableScroll } from '../ui/table-scroll.tsx';

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** What an entry changed: before and after, folded away. */
function Change({ entry }: { entry: AuditEntry }) {
  if (entry.before === undefined && entry.after === undefined) return <>–</>;
  return (
    <details className="audit-change">
      <summary className="audit-summary">
        Show
        <span className="visually-hidden">
          {' '}
          the change of {entry.action} {entry.target.id}
        </span>
      </summary>
      <div className="audit-change-body">
        {entry.before !== undefined ? (
          <div>
            <p className="example-label">Before</p>
            <pre>
              <code>{json(entry.before)}</code>
            </pre>
          </div>
        ) : null}
        {entry.after !== undefined ? (
          <div>
            <p className="example-label">After</p>
            <pre>
              <code>{json(entry.after)}</code>
            </pre>
          </div>
        ) : null}
      </div>
    </details>
  );
}

export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <TableScroll label="Audit log entries, newest first">
      <table className="data-table">
        <caption className="visually-hidden">Audit log entries, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">By</th>
            <th scope="col">Request</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td className="nowrap">
                <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
              </td>
              <th scope="row">
                <code>{entry.action}</code>
              </th>
              <td>
                {entry.target.type} <code>{entry.target.id}</code>
              </td>
              <td>
                <code>{entry.actor.subject}</code>
                <span className="cell-note">
                  {entry.actor.role} via <code>{entry.actor.clientId}</code>
                </span>
              </td>
              <td>{entry.requestId ? <code>{entry.requestId}</code> : '–'}</td>
              <td>
                <Change entry={entry} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
