import type { ErrorReport } from '../api/logs.ts';
import { formatDateTime } from '../ui/format.ts';

/** The exceptions an API's provider reported against a call. */
export function ErrorReports({ reports }: { reports: ErrorReport[] }) {
  return (
    <ul className="error-reports">
      {reports.map((report) => (
        <li key={report.reportId}>
          <p className="error-report-head">
            <strong>Provider error report</strong>
            {report.code ? <code>{report.code}</code> : null} {report.message}
          </p>
          <p className="muted small">
            {report.occurredAt ? `Occurred ${formatDateTime(report.occurredAt)} · ` : ''}
            Reported {formatDateTime(report.reportedAt)} by {report.api}’s key <code>{report.keyId}</code>
          </p>
          {report.detail ? (
            <details>
              <summary>Detail</summary>
              <pre>
                <code>{report.detail}</code>
              </pre>
            </details>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
