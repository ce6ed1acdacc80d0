import { useCallback, useEffect, useRef, useState } from 'react';
import type { Resource } from '../../ui/use-resource.ts';

export interface Data<T> {
  resource: Resource<T>;
  /** Loads again; what was shown stays until the new answer arrives. */
  reload: () => void;
}

/**
 * Loads `load()` whenever `key` changes (a null key loads nothing) and again on `reload()`. `load` may be
 * a new function each render: the latest is called.
 */
export function useData<T>(key: string | null, load: () => Promise<T>): Data<T> {
  const latestLoad = useRef(load);
  useEffect(() => {
    latestLoad.current = load;
  });
  const [round, setRound] = useState(0);
  const [state, setState] = useState<{ key: string | null; resource: Resource<T> }>({
    key: null,
    resource: { status: 'idle' },
  });
  useEffect(() => {
    if (key === null) return;
    let current = true;
    // A reload of the same key keeps its answer on screen; a new key shows that it is loading.
    setState((previous) =>
      previous.key === key && previous.resource.status === 'ready' && round > 0
        ? previous
        : { key, resource: { status: 'loading' } },
    );
    latestLoad.current().then(
      (data) => current && setState({ key, resource: { status: 'ready', data } }),
      (error: unknown) => current && setState({ key, resource: { status: 'error', error } }),
    );
    return () => {
      current = false;
    };
  }, [key, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  if (key === null) return { resource: { status: 'idle' }, reload };
  return { resource: state.key === key ? state.resource : { status: 'loading' }, reload };
}
