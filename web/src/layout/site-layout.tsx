import { type ReactNode, useEffect, useRef } from 'react';
import { Link, useLocation } from 'wouter';
import { useSession } from '../auth/session-context.tsx';
import { AccountMenu } from './account-menu.tsx';
import { NavLink } from './nav-link.tsx';

/** Moves focus to the new page's content after in-app navigation, as a full page load would. */
function useFocusOnNavigation() {
  const [location] = useLocation();
  const main = useRef<HTMLElement>(null);
  const previous = useRef(location);
  useEffect(() => {
    if (previous.current === location) return;
    previous.current = location;
    if (!window.location.hash) {
      window.scrollTo(0, 0);
      main.current?.focus({ preventScroll: true });
    }
  }, [location]);
  return main;
}

export function SiteLayout({ children }: { children: ReactNode }) {
  const { signedIn, me } = useSession();
  const main = useFocusOnNavigation();
  const hasConsole = me.status === 'ready' && me.data.consoleRole !== undefined;
  const isDeveloper = me.status === 'ready' && me.data.developerId !== undefined;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link href="/" className="brand">
            <span className="brand-mark" aria-hidden="true">
              P
            </span>
            Portico
          </Link>
          <nav aria-label="Main" className="site-nav">
            <ul>
              <li>
                <NavLink href="/docs">APIs</NavLink>
              </li>
              {isDeveloper ? (
                <li>
                  <NavLink href="/apps">My apps</NavLink>
                </li>
              ) : null}
              {hasConsole ? (
                <li>
                  <NavLink href="/console">Console</NavLink>
                </li>
              ) : null}
            </ul>
          </nav>
          {signedIn ? (
            <AccountMenu />
          ) : (
            <div className="account">
              <Link href="/signup" className="button">
                Sign up
              </Link>
              <AccountMenu />
            </div>
          )}
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <div className="site-footer-inner">
          <p>Portico developer portal</p>
          <ul>
            <li>
              <Link href="/docs">API catalog</Link>
            </li>
            <li>
              <a href="/openapi.json">Platform OpenAPI document</a>
            </li>
          </ul>
        </div>
      </footer>
    </>
  );
}
