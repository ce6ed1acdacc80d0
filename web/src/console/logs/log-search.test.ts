import { describe, expect, it } from 'vitest';
import { checkSearch, EMPTY_SEARCH, searchFormOf } from './log-search.ts';

const TRACE = '9934684760a9856aa997bf0fd80f0fad';

describe('a request-log search', () => {
  it('asks for the last hour when nothing is given', () => {
    expect(checkSearch(EMPTY_SEARCH)).toEqual({ ok: true, params: { limit: '50' } });
  });

  it('sends the filters given, trimmed, and local times as instants', () => {
    const check = checkSearch({
      ...EMPTY_SEARCH,
      from: '2030-01-01T10:00',
      api: ' echo ',
      status: '502',
      traceId: `00-${TRACE}-230755a6af6d0b4e-01`,
    });
    expect(check).toEqual({
      ok: true,
      params: {
        from: new Date('2030-01-01T10:00').toISOString(),
        api: 'echo',
        status: '502',
        traceId: TRACE,
        limit: '50',
      },
    });
  });

  it('names each input that is wrong', () => {
    const check = checkSearch({
      ...EMPTY_SEARCH,
      from: '2030-01-02T10:00',
      to: '2030-01-01T10:00',
      status: '42',
      traceId: 'abc',
    });
    expect(check.ok).toBe(false);
    expect(!check.ok && Object.keys(check.problems).sort()).toEqual(['status', 'to', 'traceId']);
  });

  it('starts from the filters in the page’s address', () => {
    expect(searchFormOf('?requestId=r-1&api=echo&other=x')).toEqual({
      ...EMPTY_SEARCH,
      requestId: 'r-1',
      api: 'echo',
    });
  });
});
