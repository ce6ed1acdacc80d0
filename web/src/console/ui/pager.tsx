import { pageNumber } from './cursor-trail.ts';
import type { Paged } from './use-paged.ts';

/** Previous and next page of a cursor-paged listing; `what` names the pages: "developers". */
export function Pager<T>({ what, paged }: { what: string; paged: Paged<T> }) {
  const { state, trail, refreshing, goNext, goBack } = paged;
  const page = pageNumber(trail);
  const hasNext = state.status === 'ready' && Boolean(state.data.next);
  const busy = state.status === 'loading' || refreshing;
  if (page === 1 && !hasNext) return null;
  return (
    <nav className="pager" aria-label={`Pages of ${what}`}>
      <button type="button" className="button button-small" onClick={goBack} disabled={page === 1 || busy}>
        Previous page
      </button>
      <span className="muted">Page {page}</span>
      <button type="button" className="button button-small" onClick={goNext} disabled={!hasNext || busy}>
        Next page
      </button>
    </nav>
  );
}
