import type { CatalogEntry } from '../../api/portal.ts';
import { Loading } from '../../ui/loading.tsx';
import { ProblemMessage } from '../../ui/problem-message.tsx';
import type { Resource } from '../../ui/use-resource.ts';
import type { AppDetail } from '../api/my-apps.ts';
import { AccessRequestForm } from '../requests/access-request-form.tsx';
import { AccessRequestInbox } from '../requests/access-request-inbox.tsx';
import type { AccessRequests } from '../requests/use-access-requests.ts';

interface Props {
  app: AppDetail;
  catalog: Resource<CatalogEntry[]>;
  requests: AccessRequests;
}

/** The scopes the app holds, asking for more, and what it asked for. */
export function ApiAccessSection({ app, catalog, requests }: Props) {
  return (
    <section aria-labelledby="access-title" className="dev-section">
      <h2 id="access-title">API access</h2>
      <p className="dev-scopes">
        <span className="dev-muted">Scopes held:</span>{' '}
        {app.scopes.length > 0
          ? app.scopes.map((scope) => (
              <code key={scope} className="scope">
                {scope}
              </code>
            ))
          : 'none yet: request access to an API below.'}
      </p>
      <div className="card dev-card">
        <h3 className="dev-card-title">Request access to an API</h3>
        {catalog.status === 'ready' ? (
          <AccessRequestForm apps={[app]} catalog={catalog.data} onSent={requests.reload} />
        ) : catalog.status === 'error' ? (
          <ProblemMessage error={catalog.error} context="The API catalog could not be loaded." />
        ) : (
          <Loading label="Loading the APIs…" />
        )}
      </div>
      <h3>Requests for this app</h3>
      <AccessRequestInbox
        requests={requests}
        appId={app.appId}
        emptyText="This app has not requested access to any API yet."
      />
    </section>
  );
}
