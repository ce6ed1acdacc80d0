import { useEffect, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { completeSignIn } from '../auth/session.ts';
import { useSession } from '../auth/session-context.tsx';
import { Loading } from '../ui/loading.tsx';

/** Where the authorization server sends the user back: finishes signing in, then returns where they were. */
export function CallbackPage() {
  const [, navigate] = useLocation();
  const { signIn } = useSession();
  const [failure, setFailure] = useState<string>();
  useEffect(() => {
    completeSignIn(window.location.search).then(
      (returnTo) => navigate(returnTo, { replace: true }),
      (error: unknown) => setFailure(error instanceof Error ? error.message : 'Sign-in failed.'),
    );
  }, [navigate]);
  if (!failure) {
    return (
      <div className="page page-narrow">
        <title>Signing in · Portico developers</title>
        <h1>Signing you in</h1>
        <Loading label="Finishing sign-in…" />
      </div>
    );
  }
  return (
    <div className="page page-narrow">
      <title>Sign-in failed · Portico developers</title>
      <h1>Sign-in failed</h1>
      <div className="alert alert-error" role="alert">
        <p>{failure}</p>
      </div>
      <div className="hero-actions">
        <button type="button" className="button button-primary" onClick={() => signIn('/')}>
          Sign in again
        </button>
        <Link href="/" className="button">
          Back to the portal
        </Link>
      </div>
    </div>
  );
}
