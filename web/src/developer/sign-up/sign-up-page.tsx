import { useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { useSession } from '../../auth/session-context.tsx';
import type { SignUpResult } from '../api/sign-up.ts';
import { SignUpForm } from './sign-up-form.tsx';
import '../developer.css';

function SignedUp({ result }: { result: SignUpResult }) {
  const { signIn } = useSession();
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    panel.current?.focus();
  }, []);
  return (
    <section ref={panel} className="dev-success-panel" aria-labelledby="signed-up-title" tabIndex={-1}>
      <h2 id="signed-up-title" className="dev-card-title">
        Your account {result.username} is created
      </h2>
      {result.status === 'pending' ? (
        <p>
          An operator must approve it before you can create apps. You can sign in meanwhile: creating an app
          works once the account is approved.
        </p>
      ) : (
        <p>Sign in to create your first app and get its credentials.</p>
      )}
      <button type="button" className="button button-primary" onClick={() => signIn('/apps')}>
        Sign in
      </button>
    </section>
  );
}

/** Self-service sign-up of a developer account (`/signup`). */
export default function SignUpPage() {
  const { signedIn } = useSession();
  const [result, setResult] = useState<SignUpResult>();
  return (
    <div className="page page-narrow dev-page">
      <title>Create a developer account · Portico developers</title>
      <h1>Create a developer account</h1>
      {result ? (
        <SignedUp result={result} />
      ) : signedIn ? (
        <p>
          You are signed in already. <Link href="/apps">Go to your apps</Link>, or sign out to create another
          account.
        </p>
      ) : (
        <>
          <p className="lead">
            With an account you create apps, get their credentials, and request access to Portico’s APIs.
          </p>
          <SignUpForm onSignedUp={setResult} />
          <p className="dev-small">
            Have an account already? Use <strong>Sign in</strong> at the top of the page.
          </p>
        </>
      )}
    </div>
  );
}
