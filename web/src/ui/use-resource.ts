import { useEffect, useState } from 'react';

export type Resource<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; data: T };

/**
 * Loads `load(key)` whenever the key changes; a null key loads nothing. `load` should be a module-level
 * function: a new one each render would load again each render.
 */
export function useResource<K extends string, T>(key: K | null, load: (key: K) => Promise<T>): Resource<T> {
  const [state, setState] = useState<{ key: K | null; resource: Resource<T> }>({
    key: null,
    resource: { status: 'idle' },
  });
  useEffect(() => {
    if (key === null) return;
    let current = true;
    setState({ key, resource: { status: 'loading' } });
    load(key).then(
      (data) => current && setState({ key, resource: { status: 'ready', data } }),
      (error: unknown) => current && setState({ key, resource: { status: 'error', error } }),
    );
    return () => {
      current = false;
    };
  }, [key, load]);
  if (key === null) return { status: 'idle' };
  // Until the effect runs for a new key, the previous key's answer is not this one's.
  return state.key === key ? state.resource : { status: 'loading' };
}
