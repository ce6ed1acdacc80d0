import { Link, Route, Switch } from 'wouter';
import { AccessRequestsPage } from './access-requests/access-requests-page.tsx';
import { ApiEditorPage, NewApiPage } from './apis/api-editor-page.tsx';
import { ApisPage } from './apis/apis-page.tsx';
import { AuditPage } from './audit/audit-page.tsx';
import { AppPage } from './directory/app-page.tsx';
import { AppsPage } from './directory/apps-page.tsx';
import { DevelopersPage } from './directory/developers-page.tsx';
import { LogsPage } from './logs/logs-page.tsx';
import { OverviewPage } from './overview/overview-page.tsx';
import { PartnerPage } from './partners/partner-page.tsx';
import { PartnersPage } from './partners/partners-page.tsx';
import { EditTestCasePage, NewTestCasePage } from './test-cases/test-case-edit-pages.tsx';
import { TestCasePage } from './test-cases/test-case-page.tsx';
import { TestCasesPage } from './test-cases/test-cases-page.tsx';
import { TracePage } from './traces/trace-page.tsx';

function ConsoleNotFound() {
  return (
    <>
      <title>Page not found · Console · Portico developers</title>
      <h1>Page not found</h1>
      <p>
        The console has no page at this address. <Link href="/">Go to the overview</Link>.
      </p>
    </>
  );
}

/** The console's pages; a page keyed by what it shows starts afresh when that changes. */
export function ConsoleRoutes() {
  return (
    <Switch>
      <Route path="/" component={OverviewPage} />
      <Route path="/apis" component={ApisPage} />
      <Route path="/apis/new" component={NewApiPage} />
      <Route path="/apis/:name">{(params) => <ApiEditorPage key={params.name} name={params.name} />}</Route>
      <Route path="/apis/:name/test-cases">
        {(params) => <TestCasesPage key={params.name} name={params.name} />}
      </Route>
      <Route path="/apis/:name/test-cases/new">
        {(params) => <NewTestCasePage key={params.name} name={params.name} />}
      </Route>
      <Route path="/apis/:name/test-cases/:caseId">
        {(params) => (
          <TestCasePage key={`${params.name}/${params.caseId}`} name={params.name} caseId={params.caseId} />
        )}
      </Route>
      <Route path="/apis/:name/test-cases/:caseId/edit">
        {(params) => (
          <EditTestCasePage
            key={`${params.name}/${params.caseId}`}
            name={params.name}
            caseId={params.caseId}
          />
        )}
      </Route>
      <Route path="/logs" component={LogsPage} />
      <Route path="/traces/:traceId">
        {(params) => <TracePage key={params.traceId} traceId={params.traceId} />}
      </Route>
      <Route path="/partners" component={PartnersPage} />
      <Route path="/partners/:partnerId">
        {(params) => <PartnerPage key={params.partnerId} partnerId={params.partnerId} />}
      </Route>
      <Route path="/developers" component={DevelopersPage} />
      <Route path="/apps" component={AppsPage} />
      <Route path="/apps/:appId">{(params) => <AppPage key={params.appId} appId={params.appId} />}</Route>
      <Route path="/access-requests" component={AccessRequestsPage} />
      <Route path="/audit" component={AuditPage} />
      <Route component={ConsoleNotFound} />
    </Switch>
  );
}
