import { useCallback, useEffect, useRef, useState } from 'react';

export type LoadState<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; data: T };

export interface Loaded<T> {
  state: LoadState<T>;
  /** A reload is under way; `state` still holds the previous answer. */
  refreshing: boolean;
  reload: () => void;
}

interface Held<T> {
  key: string | null;
  request: string | null;
  state: LoadState<T>;
  refreshing: boolean;
}

/**
 * Calls `load` when `key` changes (a null key loads nothing) and on `reload()`. `key` names everything
 * `load` depends on; `load` itself may be a new function each render. A reload keeps the last answer
 * shown until the new one arrives.
 */
export function useLoad<T>(key: string | null, load: () => Promise<T>): Loaded<T> {
  const latestLoad = useRef(load);
  useEffect(() => {
    latestLoad.current = load;
  });
  const [reloads, setReloads] = useState(0);
  const request = key === null ? null : `${reloads}:${key}`;
  const [held, setHeld] = useState<Held<T>>({
    key: null,
    request: null,
    state: { status: 'idle' },
    refreshing: false,
  });
  useEffect(() => {
    if (key === null || request === null) return;
    let current = true;
    setHeld((previous) =>
      previous.key === key && previous.state.status === 'ready'
        ? { ...previous, request, refreshing: true }
        : { key, request, state: { status: 'loading' }, refreshing: false },
    );
    latestLoad.current().then(
      (data) => current && setHeld({ key, request, state: { status: 'ready', data }, refreshing: false }),
      (error: unknown) =>
        current && setHeld({ key, request, state: { status: 'error', error }, refreshing: false }),
    );
    return () => {
      current = false;
    };
  }, [key, request]);
  const reload = useCallback(() => setReloads((n) => n + 1), []);
  if (key === null) return { state: { status: 'idle' }, refreshing: false, reload };
  // Until the effect has run for a new key, the answer held is the previous key's.
  if (held.key !== key) return { state: { status: 'loading' }, refreshing: false, reload };
  return { state: held.state, refreshing: held.refreshing, reload };
}
