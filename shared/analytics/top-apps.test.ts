import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeTopApps } from './top-apps.ts';

/** A batch's exact counters for some calls: `[app, failed]` each. */
function batchOf(calls: readonly [string, boolean][]): Record<string, number> {
  const added: Record<string, number> = {};
  for (const [app, failed] of calls) {
    added[`count:${app}`] = (added[`count:${app}`] ?? 0) + 1;
    added[`errors:${app}`] = (added[`errors:${app}`] ?? 0) + (failed ? 1 : 0);
  }
  return added;
}

const apps = fc.constantFrom(...Array.from({ length: 24 }, (_, i) => `app_${i}`));
const batches = fc.array(fc.array(fc.tuple(apps, fc.boolean()), { maxLength: 40 }), { maxLength: 30 });

describe('the bounded app ranking', () => {
  it('is exact while no more apps than it keeps have called', () => {
    const summary = [
      batchOf([['app_a', false]]),
      batchOf([
        ['app_b', true],
        ['app_a', true],
      ]),
    ].reduce((cell, batch) => mergeTopApps(cell, batch, 3), {});
    expect(summary).toEqual({ 'count:app_a': 2, 'count:app_b': 1, 'errors:app_a': 1, 'errors:app_b': 1 });
  });

  it('keeps at most its bound, never estimates an app low, nor high by more than its floor, and leaves out only apps within the floor', () => {
    fc.assert(
      fc.property(batches, fc.integer({ min: 1, max: 8 }), (stream, kept) => {
        let cell: Record<string, number> = {};
        const truth = { count: new Map<string, number>(), errors: new Map<string, number>() };
        for (const calls of stream) {
          cell = mergeTopApps(cell, batchOf(calls), kept);
          for (const [app, failed] of calls) {
            truth.count.set(app, (truth.count.get(app) ?? 0) + 1);
            if (failed) truth.errors.set(app, (truth.errors.get(app) ?? 0) + 1);
          }
        }
        for (const family of ['count', 'errors'] as const) {
          const floor = cell[`floor:${family}`] ?? 0;
          const kept_ = Object.keys(cell).filter((k) => k.startsWith(`${family}:`));
          expect(kept_.length).toBeLessThanOrEqual(kept);
          for (const [app, n] of truth[family]) {
            const estimate = cell[`${family}:${app}`];
            if (estimate === undefined) expect(n).toBeLessThanOrEqual(floor);
            else {
              expect(estimate).toBeGreaterThanOrEqual(n);
              expect(estimate - n).toBeLessThanOrEqual(floor);
            }
          }
          if (truth[family].size <= kept) expect(floor).toBe(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same summary for the same cell and batch, whatever order the batch lists its apps in', () => {
    const cell = mergeTopApps(
      {},
      batchOf([
        ['a', false],
        ['b', false],
        ['c', false],
      ]),
      2,
    );
    const batch = batchOf([
      ['d', false],
      ['e', false],
    ]);
    const reversed = Object.fromEntries(Object.entries(batch).reverse());
    expect(mergeTopApps(cell, batch, 2)).toEqual(mergeTopApps(cell, reversed, 2));
  });
});
