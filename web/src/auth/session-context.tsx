import { createContext, type ReactNode, useCallback, useContext, useMemo, useSyncExternalStore } from 'react';
import { fetchMe, type Me } from '../api/me.ts';
import { type Resource, useResource } from '../ui/use-resource.ts';
import { signOut, startSignIn } from './session.ts';
import { currentTokens, subscribeTokens } from './token-store.ts';

export interface Session {
  signedIn: boolean;
  /** Who is signed in, from `GET /v1/me`. */
  me: Resource<Me>;
  /** Leaves for the sign-in page; back at `returnTo` (this page by default) once signed in. */
  signIn: (returnTo?: string) => void;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

const here = () => `${window.location.pathname}${window.location.search}${window.location.hash}`;

export function SessionProvider({ children }: { children: ReactNode }) {
  const tokens = useSyncExternalStore(subscribeTokens, currentTokens);
  const signedIn = tokens !== undefined;
  const me = useResource(signedIn ? 'me' : null, fetchMe);
  const signIn = useCallback((returnTo?: string) => {
    void startSignIn(returnTo ?? here());
  }, []);
  const session = useMemo<Session>(() => ({ signedIn, me, signIn, signOut }), [signedIn, me, signIn]);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a SessionProvider above it.');
  return session;
}
