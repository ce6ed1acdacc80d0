import { Link } from 'wouter';
import { Badge } from '../../ui/badges.tsx';
import { fetchApp } from '../api/directory.ts';
import { formatDateTime } from '../ui/format.ts';
import { LoadView } from '../ui/load-view.tsx';
import { useLoad } from '../ui/use-load.ts';
import { CredentialsTable } from './credentials-table.tsx';
import { TokensSection } from './tokens-section.tsx';

/** One app: what it may do, its credentials (without secrets) and its tokens. */
export function AppPage({ appId }: { appId: string }) {
  const app = useLoad(`app:${appId}`, () => fetchApp(appId));
  const name = app.state.status === 'ready' ? app.state.data.name : appId;
  return (
    <>
      <title>{`${name} · Apps · Console · Portico developers`}</title>
      <p className="breadcrumb">
        <Link href="/apps">Apps</Link>
      </p>
      <h1>{name}</h1>
      <LoadView state={app.state} loading="Loading the app…" failure="The app could not be loaded.">
        {(details) => (
          <>
            {details.description ? <p className="lead">{details.description}</p> : null}
            <dl className="facts card">
              <div>
                <dt>App id</dt>
                <dd>
                  <code>{details.appId}</code>
                </dd>
              </div>
              <div>
                <dt>Status</dt>
                <dd>
                  <Badge tone={details.status === 'active' ? 'success' : 'neutral'}>{details.status}</Badge>
                </dd>
              </div>
              <div>
                <dt>Developer</dt>
                <dd>
                  {details.developerId ? (
                    <Link href={`/apps?developerId=${encodeURIComponent(details.developerId)}`}>
                      <code>{details.developerId}</code>
                    </Link>
                  ) : (
                    '–'
                  )}
                </dd>
              </div>
              <div>
                <dt>Scopes</dt>
                <dd>
                  {details.scopes.length
                    ? details.scopes.map((scope) => (
                        <code key={scope} className="scope">
                          {scope}
                        </code>
                      ))
                    : '–'}
                </dd>
              </div>
              <div>
                <dt>Redirect URIs</dt>
                <dd>
                  {details.redirectUris.length ? (
                    <ul className="plain-list">
                      {details.redirectUris.map((uri) => (
                        <li key={uri}>
                          <code>{uri}</code>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    '–'
                  )}
                </dd>
              </div>
              <div>
                <dt>Created</dt>
                <dd>{formatDateTime(details.createdAt)}</dd>
              </div>
            </dl>
            <section aria-labelledby="app-credentials">
              <h2 id="app-credentials">Credentials</h2>
              <CredentialsTable credentials={details.credentials} />
            </section>
            <TokensSection appId={appId} />
          </>
        )}
      </LoadView>
    </>
  );
}
