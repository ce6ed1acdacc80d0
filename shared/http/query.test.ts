import { describe, expect, it } from 'vitest';
import { ProblemError } from './problem.ts';
import { pageParams, queryParams } from './query.ts';

const problem = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ProblemError) return `${error.status} ${error.detail}`;
    throw error;
  }
  return 'accepted';
};

describe('queryParams', () => {
  it('reads the allowed parameters', () => {
    expect(queryParams('limit=5&cursor=abc', ['limit', 'cursor'])).toEqual(
      new Map([
        ['limit', '5'],
        ['cursor', 'abc'],
      ]),
    );
    expect(queryParams('', [])).toEqual(new Map());
  });

  it.each([
    ['limit=1&limit=2', ['limit'], '400 Repeated query parameter: limit.'],
    ['limt=1', ['limit', 'cursor'], '400 Unknown query parameter: limt (accepted: limit, cursor).'],
    ['limit=1', [], '400 Unknown query parameter: limit (this route takes none).'],
  ])('refuses %j', (raw, allowed, expected) => {
    expect(problem(() => queryParams(raw, allowed))).toBe(expected);
  });
});

describe('pageParams', () => {
  it('defaults to 25 and accepts 1 to 100', () => {
    expect(pageParams(new Map())).toEqual({ limit: 25 });
    expect(pageParams(new Map([['limit', '100']]))).toEqual({ limit: 100 });
    expect(
      pageParams(
        new Map([
          ['limit', '1'],
          ['cursor', 'eyJwayI6IngifQ'],
        ]),
      ),
    ).toEqual({
      limit: 1,
      cursor: 'eyJwayI6IngifQ',
    });
  });

  it.each(['-1', '0', '101', '1.5', '1e2', ' 5', '05', '', 'ten'])('refuses limit=%j', (limit) => {
    expect(problem(() => pageParams(new Map([['limit', limit]])))).toMatch(/^400 limit must be/);
  });

  it.each(['garbage!', 'a b', '%%', 'x'.repeat(2049)])('refuses cursor=%j', (cursor) => {
    expect(problem(() => pageParams(new Map([['cursor', cursor]])))).toMatch(/^400 The cursor/);
  });
});
