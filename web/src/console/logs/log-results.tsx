import { Link } from 'wouter';
import { MethodBadge, StatusCode } from '../../ui/badges.tsx';
import type { LogSearchResult } from '../api/logs.ts';
import { traceHref } from '../traces/trace-address.ts';
import { formatMs, formatRecent } from '../ui/format.ts';
import { TableScroll } from '../ui/table-scroll.tsx';

/** The calls a search found, newest first, each linking to its trace. */
export function LogResults({ result }: { result: LogSearchResult }) {
  const { records } = result;
  return (
    <section aria-labelledby="log-results-title">
      <h2 id="log-results-title">
        {records.length === 1 ? 'One call' : `${records.length} calls`}
        <span className="muted small"> (newest first)</span>
      </h2>
      {result.incomplete ? (
        <p className="note">
          The search stopped before reading the whole range: narrow the range or the filters.
        </p>
      ) : null}
      {records.length === 0 ? (
        <p>No call matches this search.</p>
      ) : (
        <TableScroll label="Calls found in the request log">
          <table className="data-table">
            <caption className="visually-hidden">Calls found in the request log</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">API</th>
                <th scope="col">Call</th>
                <th scope="col">Status</th>
                <th scope="col" className="numeric">
                  Latency
                </th>
                <th scope="col">App</th>
                <th scope="col">Trace</th>
              </tr>
            </thead>
            <tbody>
              {records.map((record) => (
                <tr key={`${record.requestId}:${record.spanId}`}>
                  <td className="nowrap">
                    <time dateTime={record.timestamp}>{formatRecent(record.timestamp)}</time>
                  </td>
                  <td>
                    <Link href={`/apis/${encodeURIComponent(record.api)}`}>{record.api}</Link>
                  </td>
                  <td>
                    <MethodBadge method={record.method} /> <code className="path">{record.path}</code>
                    <span className="cell-note">
                      request <code>{record.requestId}</code>
                    </span>
                  </td>
                  <td>
                    <StatusCode status={record.status} />
                    {record.errorType ? <span className="cell-note">{record.errorType}</span> : null}
                  </td>
                  <td className="numeric">{formatMs(record.latencyMs)}</td>
                  <td>
                    {record.appId ? (
                      <Link href={`/apps/${encodeURIComponent(record.appId)}`}>{record.appId}</Link>
                    ) : (
                      '–'
                    )}
                  </td>
                  <td>
                    <Link href={traceHref(record.traceId, record.timestamp)}>
                      Trace<span className="visually-hidden"> of request {record.requestId}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
