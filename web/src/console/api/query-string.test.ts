import { describe, expect, it } from 'vitest';
import { queryString } from './query-string.ts';

describe('a query string', () => {
  it('leaves out values that are not set', () => {
    expect(queryString({ api: 'echo', app: '', partner: undefined, limit: 25 })).toBe('?api=echo&limit=25');
  });

  it('is empty without values', () => {
    expect(queryString({ api: undefined })).toBe('');
  });

  it('escapes values', () => {
    expect(queryString({ route: 'GET /orders/{id}' })).toBe('?route=GET+%2Forders%2F%7Bid%7D');
  });
});
