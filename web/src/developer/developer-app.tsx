import { useSession } from '../auth/session-context.tsx';

/** A developer's own pages below /apps: their apps, credentials, subscriptions and usage. */
export default function DeveloperApp() {
  const { signedIn, signIn } = useSession();
  return (
    <div className="page page-narrow">
      <title>My apps · Portico developers</title>
      <h1>My apps</h1>
      {signedIn ? (
        <p>Your apps are listed here.</p>
      ) : (
        <>
          <p>Sign in to see and manage your apps.</p>
          <button type="button" className="button button-primary" onClick={() => signIn('/apps')}>
            Sign in
          </button>
        </>
      )}
    </div>
  );
}
