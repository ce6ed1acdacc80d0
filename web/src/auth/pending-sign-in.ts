import { safeReturnPath } from './authorization-request.ts';

/**
 * What a sign-in needs to survive the redirect to the authorization server and back: kept in the
 * tab's sessionStorage only for that trip, and deleted as the callback reads it.
 */
export interface PendingSignIn {
  verifier: string;
  state: string;
  returnTo: string;
}

const KEY = 'portico.pending-sign-in';

export function savePendingSignIn(pending: PendingSignIn, storage: Storage = sessionStorage): void {
  storage.setItem(KEY, JSON.stringify(pending));
}

/** The pending sign-in, removed from storage; undefined when there is none or it is unreadable. */
export function takePendingSignIn(storage: Storage = sessionStorage): PendingSignIn | undefined {
  const raw = storage.getItem(KEY);
  storage.removeItem(KEY);
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<PendingSignIn>;
    if (typeof value.verifier !== 'string' || typeof value.state !== 'string') return undefined;
    return { verifier: value.verifier, state: value.state, returnTo: safeReturnPath(value.returnTo) };
  } catch {
    return undefined;
  }
}
