import { Link } from 'wouter';
import { ApiError } from '../../api/client.ts';
import { fetchCatalog } from '../../api/portal.ts';
import { Loading } from '../../ui/loading.tsx';
import { ProblemMessage } from '../../ui/problem-message.tsx';
import { useResource } from '../../ui/use-resource.ts';
import { getApp } from '../api/my-apps.ts';
import { useAccessRequests } from '../requests/use-access-requests.ts';
import { useData } from '../ui/use-data.ts';
import { ApiAccessSection } from './api-access-section.tsx';
import { AppHeader } from './app-header.tsx';
import { CredentialsSection } from './credentials-section.tsx';
import { SubscriptionsSection } from './subscriptions-section.tsx';
import { UsageSection } from './usage-section.tsx';

const backLink = (
  <p className="dev-breadcrumb">
    <Link href="/">My apps</Link>
  </p>
);

/** One app: its credentials, the APIs it may call and asked for, its webhooks and their deliveries, its usage. */
export function AppPage({ appId }: { appId: string }) {
  const app = useData(`app:${appId}`, () => getApp(appId));
  const catalog = useResource('catalog', fetchCatalog);
  const requests = useAccessRequests();
  if (app.resource.status === 'error') {
    const missing = app.resource.error instanceof ApiError && app.resource.error.status === 404;
    return (
      <>
        <title>{`${missing ? 'App not found' : 'App'} · Portico developers`}</title>
        {backLink}
        <h1>{missing ? 'App not found' : 'App'}</h1>
        {missing ? (
          <p>
            None of your apps has the id <code>{appId}</code>.
          </p>
        ) : (
          <ProblemMessage error={app.resource.error} context="The app could not be loaded." />
        )}
      </>
    );
  }
  if (app.resource.status !== 'ready') {
    return (
      <>
        <title>App · Portico developers</title>
        {backLink}
        <h1>App</h1>
        <Loading label="Loading the app…" />
      </>
    );
  }
  const detail = app.resource.data;
  return (
    <>
      <title>{`${detail.name} · My apps · Portico developers`}</title>
      {backLink}
      <AppHeader app={detail} />
      <CredentialsSection app={detail} onChanged={app.reload} />
      <ApiAccessSection app={detail} catalog={catalog} requests={requests} />
      <SubscriptionsSection app={detail} catalog={catalog.status === 'ready' ? catalog.data : []} />
      <UsageSection appId={detail.appId} />
    </>
  );
}
