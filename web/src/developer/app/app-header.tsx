import { Badge } from '../../ui/badges.tsx';
import type { AppDetail } from '../api/my-apps.ts';
import { formatDateTime } from '../ui/format.ts';

/** The app's name, state and what it is. */
export function AppHeader({ app }: { app: AppDetail }) {
  return (
    <header className="dev-app-header">
      <div className="dev-title-row">
        <h1>{app.name}</h1>
        <Badge tone={app.status === 'active' ? 'success' : 'danger'}>
          {app.status === 'active' ? 'Active' : 'Disabled'}
        </Badge>
      </div>
      {app.description ? <p className="lead">{app.description}</p> : null}
      {app.status !== 'active' ? (
        <p className="note">
          An operator disabled this app: its credentials get no tokens and its webhooks cannot be managed
          here.
        </p>
      ) : null}
      <dl className="dev-facts">
        <div>
          <dt>App id</dt>
          <dd>
            <code>{app.appId}</code>
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatDateTime(app.createdAt)}</dd>
        </div>
        {app.redirectUris.length > 0 ? (
          <div>
            <dt>Redirect URIs</dt>
            <dd>
              {app.redirectUris.map((uri) => (
                <code key={uri} className="dev-block-code">
                  {uri}
                </code>
              ))}
            </dd>
          </div>
        ) : null}
      </dl>
    </header>
  );
}
