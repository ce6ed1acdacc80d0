import type { ReactNode } from 'react';
import { Loading } from '../../ui/loading.tsx';
import { ProblemMessage } from '../../ui/problem-message.tsx';
import type { LoadState } from './use-load.ts';

interface Props<T> {
  state: LoadState<T>;
  /** The wait, announced: "Loading the partners…". */
  loading: string;
  /** What failed, above the problem: "The partners could not be loaded." */
  failure: string;
  children: (data: T) => ReactNode;
}

/** A loaded resource: its wait, its problem, or what `children` makes of it. */
export function LoadView<T>({ state, loading, failure, children }: Props<T>) {
  if (state.status === 'error') return <ProblemMessage error={state.error} context={failure} />;
  if (state.status !== 'ready') return <Loading label={loading} />;
  return <>{children(state.data)}</>;
}
