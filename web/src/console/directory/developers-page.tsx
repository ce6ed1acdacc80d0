import { Link } from 'wouter';
import { Badge } from '../../ui/badges.tsx';
import { fetchDevelopers } from '../api/directory.ts';
import { useRoleAllows } from '../console-role.tsx';
import { formatDateTime } from '../ui/format.ts';
import { LoadView } from '../ui/load-view.tsx';
import { Pager } from '../ui/pager.tsx';
import { TableScroll } from '../ui/table-scroll.tsx';
import { usePaged } from '../ui/use-paged.ts';
import { DeveloperStatusButton } from './developer-status-button.tsx';

export function DevelopersPage() {
  const page = usePaged('developers', fetchDevelopers);
  const mayChange = useRoleAllows('operator');
  return (
    <>
      <title>Developers · Console · Portico developers</title>
      <h1>Developers</h1>
      <p className="lead">
        The people and companies who own apps. A pending account signed up in the portal and waits for an
        operator: its apps cannot authenticate until it is activated.
      </p>
      <LoadView
        state={page.state}
        loading="Loading the developers…"
        failure="The developers could not be loaded."
      >
        {(found) =>
          found.items.length === 0 ? (
            <p>No developers yet.</p>
          ) : (
            <TableScroll label="Developers">
              <table className="data-table">
                <caption className="visually-hidden">Developers</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Email</th>
                    <th scope="col">Company</th>
                    <th scope="col">Status</th>
                    <th scope="col">Created</th>
                    <th scope="col">Apps</th>
                    {mayChange ? <th scope="col">Account</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {found.items.map((developer) => (
                    <tr key={developer.developerId}>
                      <th scope="row">
                        {developer.name}
                        <span className="cell-note">
                          <code>{developer.developerId}</code>
                        </span>
                      </th>
                      <td>{developer.email}</td>
                      <td>{developer.company ?? '–'}</td>
                      <td>
                        <Badge
                          tone={
                            developer.status === 'active'
                              ? 'success'
                              : developer.status === 'pending'
                                ? 'warning'
                                : 'neutral'
                          }
                        >
                          {developer.status}
                        </Badge>
                      </td>
                      <td className="nowrap">{formatDateTime(developer.createdAt)}</td>
                      <td>
                        <Link href={`/apps?developerId=${encodeURIComponent(developer.developerId)}`}>
                          Apps<span className="visually-hidden"> of {developer.name}</span>
                        </Link>
                      </td>
                      {mayChange ? (
                        <td>
                          <DeveloperStatusButton developer={developer} onChanged={page.reload} />
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )
        }
      </LoadView>
      <Pager what="developers" paged={page} />
    </>
  );
}
