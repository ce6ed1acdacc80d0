import { useState } from 'react';
import { useLocation } from 'wouter';
import { useSession } from '../auth/session-context.tsx';

/** Sign in, or who is signed in and sign out. */
export function AccountMenu() {
  const { signedIn, me, signIn, signOut } = useSession();
  const [, navigate] = useLocation();
  const [leaving, setLeaving] = useState(false);
  if (!signedIn) {
    return (
      <button type="button" className="button button-primary" onClick={() => signIn()}>
        Sign in
      </button>
    );
  }
  const name = me.status === 'ready' ? me.data.displayName || me.data.username : 'Signed in';
  const leave = async () => {
    setLeaving(true);
    await signOut();
    setLeaving(false);
    navigate('/');
  };
  return (
    <div className="account">
      <span className="account-name" title={me.status === 'ready' ? me.data.username : undefined}>
        {name}
      </span>
      <button type="button" className="button" onClick={leave} disabled={leaving}>
        {leaving ? 'Signing out…' : 'Sign out'}
      </button>
    </div>
  );
}
