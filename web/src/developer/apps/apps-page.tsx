import { useEffect, useRef, useState } from 'react';
import { useLocation, useSearch } from 'wouter';
import { fetchCatalog } from '../../api/portal.ts';
import { Loading } from '../../ui/loading.tsx';
import { ProblemMessage } from '../../ui/problem-message.tsx';
import { useResource } from '../../ui/use-resource.ts';
import { type CreatedApp, listApps } from '../api/my-apps.ts';
import { AccessRequestForm } from '../requests/access-request-form.tsx';
import { AccessRequestInbox } from '../requests/access-request-inbox.tsx';
import { applyTarget } from '../requests/access-requests.ts';
import { useAccessRequests } from '../requests/use-access-requests.ts';
import { useData } from '../ui/use-data.ts';
import { useFocusReturn } from '../ui/use-focus-return.ts';
import { AppList } from './app-list.tsx';
import { CreateAppForm } from './create-app-form.tsx';
import { CreatedAppSecrets } from './created-app-secrets.tsx';

/** My apps: the developer's apps, a new one with its once-only secrets, access requests and their inbox. */
export function AppsPage() {
  const apps = useData('apps', listApps);
  const catalog = useResource('catalog', fetchCatalog);
  const requests = useAccessRequests();
  const search = useSearch();
  const [, navigate] = useLocation();
  const target = applyTarget(search);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApp>();
  const [applying, setApplying] = useState(false);
  const showApply = applying || target !== undefined;
  const createButton = useFocusReturn<HTMLButtonElement>(creating || created !== undefined);
  const applyButton = useFocusReturn<HTMLButtonElement>(showApply);
  const applyHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (applying) applyHeading.current?.focus();
  }, [applying]);

  const closeApply = () => {
    setApplying(false);
    if (target) navigate('~/apps', { replace: true });
  };

  const appList = apps.resource.status === 'ready' ? apps.resource.data : [];

  return (
    <>
      <title>My apps · Portico developers</title>
      <h1>My apps</h1>
      <p className="lead">Your apps, their credentials, and the APIs they may call.</p>

      {showApply ? (
        <section className="card dev-card" aria-labelledby="apply-title">
          <h2 id="apply-title" ref={applyHeading} tabIndex={-1} className="dev-card-title">
            {target ? `Request access to ${target}` : 'Request access to an API'}
          </h2>
          {apps.resource.status === 'ready' && catalog.status === 'ready' ? (
            appList.length > 0 ? (
              <AccessRequestForm
                apps={appList}
                catalog={catalog.data}
                initialApi={target}
                onSent={requests.reload}
                onClose={closeApply}
              />
            ) : (
              <p>Create an app first: access is granted to an app, not to your account.</p>
            )
          ) : catalog.status === 'error' ? (
            <ProblemMessage error={catalog.error} context="The API catalog could not be loaded." />
          ) : (
            <Loading label="Loading your apps and the APIs…" />
          )}
          {appList.length === 0 || apps.resource.status !== 'ready' || catalog.status !== 'ready' ? (
            <button type="button" className="button" onClick={closeApply}>
              Close
            </button>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="apps-title" className="dev-section">
        <div className="dev-section-head">
          <h2 id="apps-title">Apps</h2>
          <div className="dev-actions">
            {!creating && !created ? (
              <button
                ref={createButton}
                type="button"
                className="button button-primary"
                onClick={() => setCreating(true)}
              >
                Create an app
              </button>
            ) : null}
            {!showApply ? (
              <button ref={applyButton} type="button" className="button" onClick={() => setApplying(true)}>
                Request access to an API
              </button>
            ) : null}
          </div>
        </div>
        {creating ? (
          <div className="card dev-card">
            <h3 className="dev-card-title">Create an app</h3>
            <CreateAppForm
              onCreated={(app) => {
                setCreating(false);
                setCreated(app);
                apps.reload();
              }}
              onCancel={() => setCreating(false)}
            />
          </div>
        ) : null}
        {created ? <CreatedAppSecrets app={created} onDone={() => setCreated(undefined)} /> : null}
        {apps.resource.status === 'error' ? (
          <ProblemMessage error={apps.resource.error} context="Your apps could not be loaded." />
        ) : apps.resource.status === 'ready' ? (
          <AppList apps={apps.resource.data} />
        ) : (
          <Loading label="Loading your apps…" />
        )}
      </section>

      <section aria-labelledby="requests-title" className="dev-section">
        <h2 id="requests-title">Access requests</h2>
        <p className="dev-muted">
          Every request you sent, newest first. An operator approves or rejects each; approved scopes are
          granted to the app at once.
        </p>
        <AccessRequestInbox requests={requests} emptyText="You have not requested access to any API yet." />
      </section>
    </>
  );
}
