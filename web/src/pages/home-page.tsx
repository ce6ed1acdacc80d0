import { Link } from 'wouter';
import { useSession } from '../auth/session-context.tsx';

export function HomePage() {
  const { signedIn, me, signIn } = useSession();
  const isDeveloper = me.status === 'ready' && me.data.developerId !== undefined;
  return (
    <div className="page">
      <title>Portico developers</title>
      <section className="hero" aria-labelledby="home-title">
        <h1 id="home-title">Build on Portico’s APIs</h1>
        <p className="lead">
          Browse the catalog, read each API’s reference, and call it in the sandbox with your app’s
          credentials — all from this portal.
        </p>
        <div className="hero-actions">
          <Link href="/docs" className="button button-primary button-large">
            Browse the API catalog
          </Link>
          {signedIn ? null : (
            <>
              <Link href="/signup" className="button button-large">
                Create a developer account
              </Link>
              <button type="button" className="button button-large" onClick={() => signIn('/docs')}>
                Sign in
              </button>
            </>
          )}
          {isDeveloper ? (
            <Link href="/apps" className="button button-large">
              Go to my apps
            </Link>
          ) : null}
        </div>
      </section>
      <section aria-labelledby="offers-title" className="features">
        <h2 id="offers-title" className="visually-hidden">
          What the portal offers
        </h2>
        <ul className="feature-grid">
          <li className="card">
            <h3>API catalog</h3>
            <p>Every published API with its version, status, and the scopes your app needs to call it.</p>
            <Link href="/docs">See the APIs</Link>
          </li>
          <li className="card">
            <h3>Reference docs</h3>
            <p>
              Operations, parameters, request and response schemas with examples, authentication and rate
              limits, generated from each API’s OpenAPI document.
            </p>
          </li>
          <li className="card">
            <h3>Your apps</h3>
            <p>
              Sign up, create apps and get their credentials, request access to APIs, and manage webhook
              subscriptions and their deliveries.
            </p>
            {signedIn ? <Link href="/apps">Open my apps</Link> : <Link href="/signup">Sign up</Link>}
          </li>
          <li className="card">
            <h3>Sandbox try-it</h3>
            <p>
              Signed in, send real requests to the sandbox from the docs with a short-lived token of your
              app’s sandbox credentials.
            </p>
          </li>
        </ul>
      </section>
    </div>
  );
}
