import { useEffect, useRef } from 'react';
import { fetchLoadRun } from '../api/load-runs.ts';
import { useLoad } from '../ui/use-load.ts';
import { isUnfinished } from './load-run-view.ts';

/** How often an unfinished run is read again. */
const POLL_MS = 2_000;

/**
 * One load run, read again every 2 s while it is queued or running (not after an error, nor once the
 * component is gone). `onSettled` is called when a run seen unfinished here ends.
 */
export function usePolledLoadRun(apiName: string, caseId: string, loadRunId: string, onSettled: () => void) {
  const loaded = useLoad(`load-run:${apiName}:${caseId}:${loadRunId}`, () =>
    fetchLoadRun(apiName, caseId, loadRunId),
  );
  const { state, refreshing, reload } = loaded;

  useEffect(() => {
    if (state.status !== 'ready' || !isUnfinished(state.data) || refreshing) return;
    const timer = setTimeout(reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [state, refreshing, reload]);

  const seenUnfinished = useRef(false);
  useEffect(() => {
    if (state.status !== 'ready') return;
    const unfinished = isUnfinished(state.data);
    if (seenUnfinished.current && !unfinished) onSettled();
    seenUnfinished.current = unfinished;
  }, [state, onSettled]);

  return loaded;
}
