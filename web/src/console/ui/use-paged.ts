import { useState } from 'react';
import type { Page, PageRequest } from '../api/page.ts';
import { type CursorTrail, currentCursor, FIRST_PAGE, nextPage, previousPage } from './cursor-trail.ts';
import { type Loaded, useLoad } from './use-load.ts';

export interface Paged<T> extends Loaded<Page<T>> {
  trail: CursorTrail;
  goNext: () => void;
  goBack: () => void;
}

/**
 * A cursor-paged listing (`limit`, `cursor` → `items`, `next`). `key` names what `load` lists; a new key
 * starts again at the first page.
 */
export function usePaged<T>(
  key: string | null,
  load: (page: PageRequest) => Promise<Page<T>>,
  limit = 25,
): Paged<T> {
  const [walk, setWalk] = useState<{ key: string | null; trail: CursorTrail }>({ key, trail: FIRST_PAGE });
  const trail = walk.key === key ? walk.trail : FIRST_PAGE;
  const cursor = currentCursor(trail);
  const loaded = useLoad(key === null ? null : `${key}|${cursor ?? ''}`, () =>
    load({ limit, ...(cursor ? { cursor } : {}) }),
  );
  const next = loaded.state.status === 'ready' ? loaded.state.data.next : undefined;
  return {
    ...loaded,
    trail,
    goNext: () => {
      if (next) setWalk({ key, trail: nextPage(trail, next) });
    },
    goBack: () => setWalk({ key, trail: previousPage(trail) }),
  };
}
