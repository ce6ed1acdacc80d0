import { Badge } from '../../ui/badges.tsx';
import type { Notice } from '../api/partners.ts';
import { formatDateTime } from '../ui/format.ts';
import { TableScroll } from '../ui/table-scroll.tsx';

const SOURCE_LABEL = { partner: 'Partner', admin: 'Operator', automatic: 'Automatic' } as const;

/** Every notice recorded for the partner, those in force first. */
export function NoticesTable({ notices }: { notices: Notice[] }) {
  if (notices.length === 0) return <p>No notices are recorded for this partner.</p>;
  const sorted = [...notices].sort(
    (a, b) => Number(b.inForce) - Number(a.inForce) || b.begin.localeCompare(a.begin),
  );
  return (
    <TableScroll label="Notices">
      <table className="data-table">
        <caption className="visually-hidden">Notices</caption>
        <thead>
          <tr>
            <th scope="col">Notice</th>
            <th scope="col">Source</th>
            <th scope="col">From</th>
            <th scope="col">Until</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((notice) => (
            <tr key={`${notice.source}/${notice.noticeId}`}>
              <th scope="row">
                {notice.content}
                <span className="cell-note">
                  <code>{notice.noticeId}</code>
                </span>
              </th>
              <td>{SOURCE_LABEL[notice.source]}</td>
              <td className="nowrap">{formatDateTime(notice.begin)}</td>
              <td className="nowrap">{formatDateTime(notice.end)}</td>
              <td>
                {notice.inForce ? (
                  <Badge tone="danger">In force</Badge>
                ) : notice.status === 'effective' ? (
                  <Badge>Not in force</Badge>
                ) : (
                  <Badge>{notice.clearedBy ? 'Deleted' : 'Cancelled'}</Badge>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
