import { describe, expect, it } from 'vitest';
import { currentCursor, FIRST_PAGE, nextPage, pageNumber, previousPage } from './cursor-trail.ts';

describe('a cursor trail', () => {
  it('starts on the first page, without a cursor', () => {
    expect(currentCursor(FIRST_PAGE)).toBeUndefined();
    expect(pageNumber(FIRST_PAGE)).toBe(1);
  });

  it('goes forward with the cursor a page handed out, and back the way it came', () => {
    const second = nextPage(FIRST_PAGE, 'c2');
    const third = nextPage(second, 'c3');
    expect(currentCursor(third)).toBe('c3');
    expect(pageNumber(third)).toBe(3);
    expect(currentCursor(previousPage(third))).toBe('c2');
    expect(currentCursor(previousPage(second))).toBeUndefined();
  });

  it('stays on the first page when going back from it', () => {
    expect(previousPage(FIRST_PAGE)).toEqual(FIRST_PAGE);
  });
});
