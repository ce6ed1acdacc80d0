import { fetchTransitions } from '../api/partners.ts';
import { formatDateTime } from '../ui/format.ts';
import { LoadView } from '../ui/load-view.tsx';
import { Pager } from '../ui/pager.tsx';
import { TableScroll } from '../ui/table-scroll.tsx';
import { usePaged } from '../ui/use-paged.ts';

/** The partner's automatic-health transitions, newest first, a page at a time. */
export function TransitionsSection({ partnerId, version }: { partnerId: string; version: number }) {
  const page = usePaged(
    `transitions:${partnerId}:${version}`,
    (request) => fetchTransitions(partnerId, request),
    20,
  );
  return (
    <section aria-labelledby="partner-transitions">
      <h2 id="partner-transitions">Transitions</h2>
      <LoadView
        state={page.state}
        loading="Loading the transitions…"
        failure="The transitions could not be loaded."
      >
        {(found) =>
          found.items.length === 0 ? (
            <p>Automatic detection has not moved this partner yet.</p>
          ) : (
            <TableScroll label="Transitions, newest first">
              <table className="data-table">
                <caption className="visually-hidden">Transitions, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">From</th>
                    <th scope="col">To</th>
                    <th scope="col">Event</th>
                    <th scope="col" className="numeric">
                      Calls admitted
                    </th>
                    <th scope="col">Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {found.items.map((transition) => (
                    <tr key={transition.eventId}>
                      <td className="nowrap">{formatDateTime(transition.at)}</td>
                      <td>{transition.from}</td>
                      <td>{transition.to}</td>
                      <td>{transition.event}</td>
                      <td className="numeric">{transition.admittedPercent} %</td>
                      <td>{transition.reason ?? '–'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )
        }
      </LoadView>
      <Pager what="transitions" paged={page} />
    </section>
  );
}
