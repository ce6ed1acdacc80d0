import { lazy, Suspense } from 'react';
import { Route, Switch } from 'wouter';
import { SessionProvider } from './auth/session-context.tsx';
import { SiteLayout } from './layout/site-layout.tsx';
import { CallbackPage } from './pages/callback-page.tsx';
import { CatalogPage } from './pages/catalog-page.tsx';
import { HomePage } from './pages/home-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { Loading } from './ui/loading.tsx';

// The reference renderer and try-it are most of the code: loaded when an API's page is opened. The
// console and a developer's own pages are loaded when first opened, too.
const ApiReferencePage = lazy(() => import('./pages/api-reference-page.tsx'));
const ConsoleApp = lazy(() => import('./console/console-app.tsx'));
const DeveloperApp = lazy(() => import('./developer/developer-app.tsx'));
const SignUpPage = lazy(() => import('./developer/sign-up/sign-up-page.tsx'));

const loading = (label: string) => (
  <div className="page">
    <Loading label={label} />
  </div>
);

export function App() {
  return (
    <SessionProvider>
      <SiteLayout>
        <Switch>
          <Route path="/" component={HomePage} />
          <Route path="/docs" component={CatalogPage} />
          <Route path="/docs/:name">
            {(params) => (
              <Suspense fallback={loading('Loading the reference…')}>
                <ApiReferencePage name={params.name} />
              </Suspense>
            )}
          </Route>
          <Route path="/callback" component={CallbackPage} />
          <Route path="/signup">
            <Suspense fallback={loading('Loading the sign-up form…')}>
              <SignUpPage />
            </Suspense>
          </Route>
          <Route path="/console" nest>
            <Suspense fallback={loading('Loading the console…')}>
              <ConsoleApp />
            </Suspense>
          </Route>
          <Route path="/apps" nest>
            <Suspense fallback={loading('Loading your apps…')}>
              <DeveloperApp />
            </Suspense>
          </Route>
          <Route component={NotFoundPage} />
        </Switch>
      </SiteLayout>
    </SessionProvider>
  );
}
