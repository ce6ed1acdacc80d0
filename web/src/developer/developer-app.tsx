import { Route, Switch } from 'wouter';
import { AppPage } from './app/app-page.tsx';
import { AppsPage } from './apps/apps-page.tsx';
import { DeveloperGate } from './developer-gate.tsx';
import { DeveloperNav } from './developer-nav.tsx';
import { TopicsPage } from './topics/topics-page.tsx';
import './developer.css';

/** A developer's own pages below /apps: their apps, credentials, access requests, webhooks and usage. */
export default function DeveloperApp() {
  return (
    <DeveloperGate>
      {() => (
        <div className="page dev-page">
          <DeveloperNav />
          <Switch>
            <Route path="/" component={AppsPage} />
            <Route path="/topics" component={TopicsPage} />
            <Route path="/:appId">{(params) => <AppPage appId={params.appId} />}</Route>
          </Switch>
        </div>
      )}
    </DeveloperGate>
  );
}
