import { Link } from 'wouter';
import { Badge } from '../../ui/badges.tsx';
import type { AppSummary } from '../api/my-apps.ts';
import { formatDateTime } from '../ui/format.ts';

/** The developer's apps, each a link to its page. */
export function AppList({ apps }: { apps: AppSummary[] }) {
  if (apps.length === 0) {
    return <p>You have no apps yet. Create one to get its credentials and request access to APIs.</p>;
  }
  return (
    <ul className="dev-app-list">
      {apps.map((app) => (
        <li key={app.appId} className="card dev-app-card">
          <div className="dev-app-card-head">
            <h3>
              <Link href={`/${encodeURIComponent(app.appId)}`}>{app.name}</Link>
            </h3>
            <Badge tone={app.status === 'active' ? 'success' : 'danger'}>
              {app.status === 'active' ? 'Active' : 'Disabled'}
            </Badge>
          </div>
          {app.description ? <p>{app.description}</p> : null}
          <p className="dev-scopes">
            <span className="dev-muted">Scopes:</span>{' '}
            {app.scopes.length > 0
              ? app.scopes.map((scope) => (
                  <code key={scope} className="scope">
                    {scope}
                  </code>
                ))
              : 'none yet'}
          </p>
          <p className="dev-small">
            <code>{app.appId}</code> · created {formatDateTime(app.createdAt)}
          </p>
        </li>
      ))}
    </ul>
  );
}
