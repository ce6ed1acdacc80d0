import { Link } from 'wouter';
import { type CatalogEntry, fetchCatalog } from '../api/portal.ts';
import { Badge } from '../ui/badges.tsx';
import { Loading } from '../ui/loading.tsx';
import { ProblemMessage } from '../ui/problem-message.tsx';
import { useResource } from '../ui/use-resource.ts';

const formatDate = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString(undefined, { dateStyle: 'long' });
};

function ApiCard({ api }: { api: CatalogEntry }) {
  const titleId = `api-${api.name}`;
  return (
    <li>
      <article className="card api-card" aria-labelledby={titleId}>
        <div className="api-card-head">
          <h2 id={titleId}>
            <Link href={`/docs/${encodeURIComponent(api.name)}`} className="api-card-link">
              {api.name}
            </Link>
          </h2>
          <Badge tone="info">v{api.version}</Badge>
          {api.status === 'deprecated' ? (
            <Badge tone="warning">Deprecated</Badge>
          ) : (
            <Badge tone="success">Published</Badge>
          )}
        </div>
        {api.status === 'deprecated' && api.sunsetAt ? (
          <p className="sunset">
            Stops being served on <time dateTime={api.sunsetAt}>{formatDate(api.sunsetAt)}</time>.
          </p>
        ) : null}
        <p>{api.description ?? `The ${api.name} API.`}</p>
        {api.requiredScopes.length > 0 ? (
          <p className="scopes">
            <span className="muted">Scopes:</span>{' '}
            {api.requiredScopes.map((scope) => (
              <code key={scope} className="scope">
                {scope}
              </code>
            ))}
          </p>
        ) : null}
        <p className="muted">
          Authentication:{' '}
          {api.authModes.map((mode) => (mode === 'token' ? 'access token' : 'signed requests')).join(' or ')}
        </p>
      </article>
    </li>
  );
}

export function CatalogPage() {
  const catalog = useResource('catalog', fetchCatalog);
  return (
    <div className="page">
      <title>APIs · Portico developers</title>
      <h1>APIs</h1>
      <p className="lead">
        The APIs you can call through Portico. Pick one to read its reference and try it.
      </p>
      {catalog.status === 'error' ? (
        <ProblemMessage error={catalog.error} context="The API catalog could not be loaded." />
      ) : null}
      {catalog.status === 'loading' || catalog.status === 'idle' ? (
        <Loading label="Loading the APIs…" />
      ) : null}
      {catalog.status === 'ready' && catalog.data.length === 0 ? <p>No APIs are published yet.</p> : null}
      {catalog.status === 'ready' && catalog.data.length > 0 ? (
        <ul className="card-grid">
          {catalog.data.map((api) => (
            <ApiCard key={api.name} api={api} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}
