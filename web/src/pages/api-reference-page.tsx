import { useEffect } from 'react';
import { Link } from 'wouter';
import { ApiError } from '../api/client.ts';
import { fetchApiDocument } from '../api/portal.ts';
import { ApiReference } from '../docs/api-reference.tsx';
import { TryItProvider } from '../try-it/try-it-context.tsx';
import { Loading } from '../ui/loading.tsx';
import { ProblemMessage } from '../ui/problem-message.tsx';
import { useResource } from '../ui/use-resource.ts';

/** Once the document is shown, go to the section the address names (a shared link, back from sign-in). */
function useScrollToHash(ready: boolean) {
  useEffect(() => {
    if (!ready || !window.location.hash) return;
    document.getElementById(decodeURIComponent(window.location.hash.slice(1)))?.scrollIntoView();
  }, [ready]);
}

export default function ApiReferencePage({ name }: { name: string }) {
  const apiDocument = useResource(name, fetchApiDocument);
  useScrollToHash(apiDocument.status === 'ready');
  if (apiDocument.status === 'error') {
    const unknown = apiDocument.error instanceof ApiError && apiDocument.error.status === 404;
    return (
      <div className="page">
        <title>{`${unknown ? 'API not found' : name} · Portico developers`}</title>
        <h1>{unknown ? 'API not found' : name}</h1>
        {unknown ? (
          <p>
            No API named <code>{name}</code> is published. <Link href="/docs">See the APIs that are</Link>.
          </p>
        ) : (
          <ProblemMessage error={apiDocument.error} context="The API reference could not be loaded." />
        )}
      </div>
    );
  }
  if (apiDocument.status !== 'ready') {
    return (
      <div className="page">
        <title>{`${name} · Portico developers`}</title>
        <h1>{name}</h1>
        <Loading label="Loading the reference…" />
      </div>
    );
  }
  return (
    <TryItProvider>
      <title>{`${apiDocument.data.info.title} API reference · Portico developers`}</title>
      <ApiReference
        document={apiDocument.data}
        documentUrl={`/v1/apis/${encodeURIComponent(name)}/openapi.json`}
        actions={
          <p className="api-meta">
            <Link href={`/apps?apply=${encodeURIComponent(name)}`} className="button button-primary">
              Request access
            </Link>
            <span className="muted">for one of your apps, to call this API.</span>
          </p>
        }
      />
    </TryItProvider>
  );
}
