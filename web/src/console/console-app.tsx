import type { ReactNode } from 'react';
import { useSession } from '../auth/session-context.tsx';
import { Loading } from '../ui/loading.tsx';
import { ProblemMessage } from '../ui/problem-message.tsx';
import { ConsoleNav } from './console-nav.tsx';
import { ConsoleRoleProvider } from './console-role.tsx';
import { ConsoleRoutes } from './console-routes.tsx';

/** A page of its own for whoever cannot use the console (yet). */
function Gate({ children }: { children: ReactNode }) {
  return (
    <div className="page page-narrow">
      <title>Console · Portico developers</title>
      <h1>Console</h1>
      {children}
    </div>
  );
}

/** The operations console: every page below /console, for a person with a console role. */
export default function ConsoleApp() {
  const { signedIn, me, signIn } = useSession();
  if (!signedIn) {
    return (
      <Gate>
        <p>The console is for the platform’s operators. Sign in with an account that has a console role.</p>
        <button type="button" className="button button-primary" onClick={() => signIn()}>
          Sign in
        </button>
      </Gate>
    );
  }
  if (me.status === 'idle' || me.status === 'loading') {
    return (
      <Gate>
        <Loading label="Checking your role…" />
      </Gate>
    );
  }
  if (me.status === 'error') {
    return (
      <Gate>
        <ProblemMessage error={me.error} context="Your account could not be read." />
      </Gate>
    );
  }
  if (!me.data.consoleRole) {
    return (
      <Gate>
        <p>
          <strong>You have no console role.</strong> You are signed in as{' '}
          {me.data.displayName || me.data.username}, and your account has no console role. Ask a platform
          admin for one.
        </p>
      </Gate>
    );
  }
  return (
    <ConsoleRoleProvider role={me.data.consoleRole}>
      <div className="console">
        <aside className="console-side">
          <ConsoleNav />
          <p className="console-role muted small">
            Signed in as {me.data.displayName || me.data.username}: <strong>{me.data.consoleRole}</strong>
          </p>
        </aside>
        <div className="console-main">
          <ConsoleRoutes />
        </div>
      </div>
    </ConsoleRoleProvider>
  );
}
