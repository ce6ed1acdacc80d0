import { Link, useSearch } from 'wouter';
import { Badge } from '../../ui/badges.tsx';
import { fetchApps } from '../api/directory.ts';
import { formatDateTime } from '../ui/format.ts';
import { LoadView } from '../ui/load-view.tsx';
import { Pager } from '../ui/pager.tsx';
import { TableScroll } from '../ui/table-scroll.tsx';
import { usePaged } from '../ui/use-paged.ts';

/** Every app, or one developer's (`?developerId=`), a page at a time. */
export function AppsPage() {
  const developerId = new URLSearchParams(useSearch()).get('developerId') ?? undefined;
  const page = usePaged(`apps:${developerId ?? ''}`, (request) => fetchApps(request, developerId));
  return (
    <>
      <title>Apps · Console · Portico developers</title>
      <h1>Apps</h1>
      {developerId ? (
        <p className="lead">
          Apps of developer <code>{developerId}</code>. <Link href="/apps">Show every app</Link>
        </p>
      ) : (
        <p className="lead">Every app registered with the platform, the platform’s own included.</p>
      )}
      <LoadView state={page.state} loading="Loading the apps…" failure="The apps could not be loaded.">
        {(found) =>
          found.items.length === 0 ? (
            <p>No apps here.</p>
          ) : (
            <TableScroll label="Apps">
              <table className="data-table">
                <caption className="visually-hidden">Apps</caption>
                <thead>
                  <tr>
                    <th scope="col">App</th>
                    <th scope="col">Developer</th>
                    <th scope="col">Scopes</th>
                    <th scope="col">Status</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {found.items.map((app) => (
                    <tr key={app.appId}>
                      <th scope="row">
                        <Link href={`/apps/${encodeURIComponent(app.appId)}`}>{app.name}</Link>
                        <span className="cell-note">
                          <code>{app.appId}</code>
                        </span>
                      </th>
                      <td>
                        {app.developerId ? <code>{app.developerId}</code> : app.firstParty ? 'Portico' : '–'}
                      </td>
                      <td>
                        {app.scopes.map((scope) => (
                          <code key={scope} className="scope">
                            {scope}
                          </code>
                        ))}
                      </td>
                      <td>
                        <Badge tone={app.status === 'active' ? 'success' : 'neutral'}>{app.status}</Badge>
                      </td>
                      <td className="nowrap">{formatDateTime(app.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )
        }
      </LoadView>
      <Pager what="apps" paged={page} />
    </>
  );
}
