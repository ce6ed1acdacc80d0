import type { ReactNode } from 'react';
import { Link } from 'wouter';
import type { Me } from '../api/me.ts';
import { useSession } from '../auth/session-context.tsx';
import { Loading } from '../ui/loading.tsx';
import { ProblemMessage } from '../ui/problem-message.tsx';

/** A developer's pages: the page itself when a developer is signed in, else what to do about it. */
export function DeveloperGate({ children }: { children: (me: Me & { developerId: string }) => ReactNode }) {
  const { signedIn, me, signIn } = useSession();
  if (!signedIn) {
    return (
      <div className="page page-narrow">
        <title>My apps · Portico developers</title>
        <h1>My apps</h1>
        <p>Sign in to create apps, get their credentials, request access to APIs and manage webhooks.</p>
        <div className="hero-actions">
          <button type="button" className="button button-primary" onClick={() => signIn()}>
            Sign in
          </button>
          <Link href="~/signup" className="button">
            Create a developer account
          </Link>
        </div>
      </div>
    );
  }
  if (me.status === 'error') {
    return (
      <div className="page page-narrow">
        <title>My apps · Portico developers</title>
        <h1>My apps</h1>
        <ProblemMessage error={me.error} context="Your account could not be loaded." />
      </div>
    );
  }
  if (me.status !== 'ready') {
    return (
      <div className="page page-narrow">
        <title>My apps · Portico developers</title>
        <h1>My apps</h1>
        <Loading label="Loading your account…" />
      </div>
    );
  }
  const { developerId } = me.data;
  if (!developerId) {
    return (
      <div className="page page-narrow">
        <title>Not a developer account · Portico developers</title>
        <h1>This is not a developer account</h1>
        <p>
          You are signed in as <strong>{me.data.username}</strong>, an account that acts for no developer, so
          it has no apps of its own.
          {me.data.consoleRole ? ' It is an operator’s account: use the console instead.' : ''}
        </p>
        <p>To build on Portico’s APIs, sign out and sign in with a developer account, or create one.</p>
        <div className="hero-actions">
          {me.data.consoleRole ? (
            <Link href="~/console" className="button button-primary">
              Open the console
            </Link>
          ) : null}
          <Link href="~/docs" className="button">
            Browse the APIs
          </Link>
        </div>
      </div>
    );
  }
  return <>{children({ ...me.data, developerId })}</>;
}
