import { describe, expect, it } from 'vitest';
import { cleanFilters, describeFilters, filterProblem, rangeOf } from './usage-filters.ts';

describe('usage filters', () => {
  it('leave out blank values', () => {
    expect(cleanFilters({ api: ' echo ', app: '', partner: '  ' })).toEqual({ api: 'echo' });
  });

  it('accept the combinations the platform keeps figures for', () => {
    expect(filterProblem({})).toBeUndefined();
    expect(filterProblem({ api: 'echo' })).toBeUndefined();
    expect(filterProblem({ api: 'echo', app: 'app_1' })).toBeUndefined();
    expect(filterProblem({ partner: 'acme' })).toBeUndefined();
  });

  it('refuse a partner narrowed to an API or an app', () => {
    expect(filterProblem({ partner: 'acme', api: 'echo' })).toMatch(/partner/);
    expect(filterProblem({ partner: 'acme', app: 'app_1' })).toMatch(/partner/);
  });

  it('are described in words', () => {
    expect(describeFilters({})).toBe('all APIs');
    expect(describeFilters({ api: 'echo', app: 'app_1' })).toBe('API echo and app app_1');
  });
});

describe('usage ranges', () => {
  it('end now and span the choice', () => {
    const now = Date.parse('2030-01-01T12:00:00Z');
    expect(rangeOf('1h', now)).toEqual({ from: '2030-01-01T11:00:00.000Z', to: '2030-01-01T12:00:00.000Z' });
    expect(rangeOf('24h', now).from).toBe('2029-12-31T12:00:00.000Z');
  });
});
