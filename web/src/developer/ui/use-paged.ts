import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../api/my-apps.ts';

export interface Paged<T> {
  status: 'idle' | 'loading' | 'ready' | 'error';
  items: T[];
  /** The first page's failure (status `error`), or a later page's (status stays `ready`). */
  error: unknown;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  /** Loads the first page again, dropping later ones; what was shown stays until it arrives. */
  reload: () => void;
}

interface State<T> {
  key: string | null;
  status: Paged<T>['status'];
  items: T[];
  next: string | undefined;
  error: unknown;
  loadingMore: boolean;
}

const initial = <T>(key: string | null): State<T> => ({
  key,
  status: key === null ? 'idle' : 'loading',
  items: [],
  next: undefined,
  error: undefined,
  loadingMore: false,
});

/** A list read a page at a time (`limit` and `cursor`), newest first, loaded again whenever `key` changes. */
export function usePaged<T>(key: string | null, loadPage: (cursor?: string) => Promise<Page<T>>): Paged<T> {
  const latestLoad = useRef(loadPage);
  useEffect(() => {
    latestLoad.current = loadPage;
  });
  const [round, setRound] = useState(0);
  const [state, setState] = useState<State<T>>(() => initial(key));
  useEffect(() => {
    if (key === null) return;
    let current = true;
    setState((previous) => (previous.key === key && round > 0 ? previous : initial(key)));
    latestLoad.current().then(
      (page) =>
        current &&
        setState({
          key,
          status: 'ready',
          items: page.items,
          next: page.next,
          error: undefined,
          loadingMore: false,
        }),
      (error: unknown) => current && setState({ ...initial<T>(key), status: 'error', error }),
    );
    return () => {
      current = false;
    };
  }, [key, round]);
  const { next, loadingMore } = state;
  const loadMore = useCallback(() => {
    if (!next || loadingMore) return;
    setState((previous) => ({ ...previous, loadingMore: true, error: undefined }));
    latestLoad.current(next).then(
      (page) =>
        setState((previous) =>
          previous.next === next
            ? { ...previous, items: [...previous.items, ...page.items], next: page.next, loadingMore: false }
            : previous,
        ),
      (error: unknown) => setState((previous) => ({ ...previous, error, loadingMore: false })),
    );
  }, [next, loadingMore]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  const current = state.key === key ? state : initial<T>(key);
  return {
    status: current.status,
    items: current.items,
    error: current.error,
    hasMore: current.next !== undefined,
    loadingMore: current.loadingMore,
    loadMore,
    reload,
  };
}
