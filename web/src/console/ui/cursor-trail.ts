/**
 * The cursors of the pages walked through a cursor-paged listing: the last is the page shown (undefined
 * for the first page). Cursors only lead forward, so going back pops the trail.
 */
export type CursorTrail = readonly (string | undefined)[];

export const FIRST_PAGE: CursorTrail = [undefined];

export const currentCursor = (trail: CursorTrail): string | undefined => trail[trail.length - 1];

export const nextPage = (trail: CursorTrail, next: string): CursorTrail => [...trail, next];

export const previousPage = (trail: CursorTrail): CursorTrail =>
  trail.length > 1 ? trail.slice(0, -1) : FIRST_PAGE;

/** 1 for the first page. */
export const pageNumber = (trail: CursorTrail): number => trail.length;
