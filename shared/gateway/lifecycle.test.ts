import { describe, expect, it } from 'vitest';
import { DomainError } from '../kernel/errors.ts';
import { type ApiLifecycle, deprecationHeaders, LIFECYCLE_STATES, nextLifecycle } from './lifecycle.ts';

const NOW = new Date('2026-12-04T10:00:00.000Z');
const LATER = new Date('2026-12-10T10:00:00.000Z');
const pointerOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).details?.errors as { pointer: string }[];
  }
  throw new Error('accepted');
};

describe('API lifecycle', () => {
  it('starts a new API as draft or published, published by default', () => {
    expect(nextLifecycle(undefined, undefined, true, NOW)).toEqual({ status: 'published' });
    expect(nextLifecycle(undefined, { status: 'draft' }, true, NOW)).toEqual({ status: 'draft' });
    for (const status of ['deprecated', 'retired'] as const)
      expect(pointerOf(() => nextLifecycle(undefined, { status }, true, NOW))).toEqual([
        expect.objectContaining({ pointer: '/lifecycle/status' }),
      ]);
  });

  it('moves only forward, or from deprecated back to published; retired is final', () => {
    const allowed: Record<string, string[]> = {
      draft: ['draft', 'published', 'retired'],
      published: ['published', 'deprecated', 'retired'],
      deprecated: ['deprecated', 'published', 'retired'],
      retired: ['retired'],
    };
    for (const from of LIFECYCLE_STATES)
      for (const to of LIFECYCLE_STATES) {
        const move = () =>
          nextLifecycle({ status: from, deprecatedAt: NOW.toISOString() }, { status: to }, false, LATER);
        if (allowed[from]!.includes(to)) expect(move().status, `${from} → ${to}`).toBe(to);
        else
          expect(pointerOf(move), `${from} → ${to}`).toEqual([
            expect.objectContaining({ pointer: '/lifecycle/status' }),
          ]);
      }
    // An API stored before lifecycles existed is published.
    expect(nextLifecycle(undefined, { status: 'deprecated' }, false, NOW).status).toBe('deprecated');
  });

  it('stamps deprecation and retirement once, ignoring what the caller sends, and checks the sunset', () => {
    const deprecated = nextLifecycle(
      { status: 'published' },
      {
        status: 'deprecated',
        sunsetAt: '2027-03-01T00:00:00Z',
        deprecatedAt: '2020-01-01T00:00:00Z',
      } as ApiLifecycle,
      false,
      NOW,
    );
    expect(deprecated).toEqual({
      status: 'deprecated',
      deprecatedAt: NOW.toISOString(),
      sunsetAt: '2027-03-01T00:00:00.000Z',
    });
    const again = nextLifecycle(
      deprecated,
      { status: 'deprecated', sunsetAt: '2027-04-01T00:00:00Z' },
      false,
      LATER,
    );
    expect(again.deprecatedAt).toBe(NOW.toISOString());
    const retired = nextLifecycle(again, { status: 'retired' }, false, LATER);
    expect(retired).toMatchObject({ deprecatedAt: NOW.toISOString(), retiredAt: LATER.toISOString() });
    expect(
      pointerOf(() =>
        nextLifecycle(deprecated, { status: 'deprecated', sunsetAt: '2026-01-01T00:00:00Z' }, false, LATER),
      ),
    ).toEqual([expect.objectContaining({ pointer: '/lifecycle/sunsetAt' })]);
    expect(
      pointerOf(() =>
        nextLifecycle(
          { status: 'published' },
          { status: 'published', sunsetAt: '2027-01-01T00:00:00Z' },
          false,
          NOW,
        ),
      ),
    ).toEqual([expect.objectContaining({ pointer: '/lifecycle/sunsetAt' })]);
  });

  it('announces a deprecation in Deprecation (RFC 9745), Sunset (RFC 8594) and Link headers', () => {
    expect(
      deprecationHeaders({
        status: 'deprecated',
        deprecatedAt: NOW.toISOString(),
        sunsetAt: '2027-03-01T00:00:00.000Z',
        link: 'https://docs.example.com/orders-v2',
      }),
    ).toEqual({
      deprecation: `@${NOW.getTime() / 1000}`,
      sunset: 'Mon, 01 Mar 2027 00:00:00 GMT',
      link: '<https://docs.example.com/orders-v2>; rel="deprecation"; type="text/html"',
    });
    expect(deprecationHeaders({ status: 'published' })).toEqual({});
    expect(deprecationHeaders(undefined)).toEqual({});
  });
});
