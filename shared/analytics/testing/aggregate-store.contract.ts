import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AggregateCell } from '../aggregate-cells.ts';
import type { AggregateStore } from '../ports.ts';

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const cell = (dimension: string, period: string, counters: Record<string, number>): AggregateCell => ({
  dimension,
  period,
  counters,
});

/**
 * What every `AggregateStore` must do (analytics/ports.ts): add cells and move a shard's checkpoint
 * together, refuse (adding nothing) when the checkpoint is not where the writer read it, and read a
 * dimension's periods back in order.
 */
export function aggregateStoreContract(name: string, setup: () => Promise<AggregateStore>): void {
  describe(`AggregateStore contract: ${name}`, () => {
    it('adds counters and moves the checkpoint in one step, and sums what is added twice under new sequence numbers', async () => {
      const store = await setup();
      const [shard, dimension] = [unique('stream/shard'), unique('calls#api=a')];
      expect(await store.checkpoint(shard)).toBeUndefined();
      const counters = { count: 2, 'status:2xx': 2, 'latency:-5': 1, 'latency:z': 1, latencySumMs: 0.75 };
      expect(
        await store.apply(shard, undefined, '100', [cell(dimension, 'MIN#2030-01-01T00:01', counters)]),
      ).toBe(true);
      expect(await store.checkpoint(shard)).toBe('100');
      expect(
        await store.apply(shard, '100', '205', [cell(dimension, 'MIN#2030-01-01T00:01', counters)]),
      ).toBe(true);
      expect(await store.checkpoint(shard)).toBe('205');
      expect(await store.read(dimension, 'minute', '2030-01-01T00:00:00Z', '2030-01-01T00:59:59Z')).toEqual([
        cell(dimension, 'MIN#2030-01-01T00:01', {
          count: 4,
          'status:2xx': 4,
          'latency:-5': 2,
          'latency:z': 2,
          latencySumMs: 1.5,
        }),
      ]);
    });

    it('adds nothing when the checkpoint has moved since it was read, or exists when none was read', async () => {
      const store = await setup();
      const [shard, dimension] = [unique('stream/shard'), unique('calls')];
      await store.apply(shard, undefined, '7', [cell(dimension, 'MIN#2030-01-01T00:00', { count: 1 })]);
      expect(
        await store.apply(shard, undefined, '9', [cell(dimension, 'MIN#2030-01-01T00:00', { count: 5 })]),
      ).toBe(false);
      expect(
        await store.apply(shard, '6', '9', [cell(dimension, 'MIN#2030-01-01T00:00', { count: 5 })]),
      ).toBe(false);
      expect(await store.checkpoint(shard)).toBe('7');
      const [stored] = await store.read(dimension, 'minute', '2030-01-01T00:00:00Z', '2030-01-01T00:00:59Z');
      expect(stored!.counters).toEqual({ count: 1 });
    });

    it('keeps a checkpoint per shard and reads only the asked grain and range, in order', async () => {
      const store = await setup();
      const [one, two, dimension] = [unique('stream/one'), unique('stream/two'), unique('calls#app=x#api=y')];
      const route = unique('calls#api=y#route=GET /orders/{id}');
      await store.apply(one, undefined, '1', [
        cell(dimension, 'MIN#2030-01-01T10:05', { count: 1 }),
        cell(dimension, 'HOUR#2030-01-01T10', { count: 1 }),
        cell(route, 'MIN#2030-01-01T10:05', { count: 1, 'error:upstream-timeout': 1 }),
      ]);
      await store.apply(two, undefined, '1', [
        cell(dimension, 'MIN#2030-01-01T09:59', { count: 3 }),
        cell(dimension, 'MIN#2030-01-01T11:00', { count: 4 }),
      ]);
      expect([await store.checkpoint(one), await store.checkpoint(two)]).toEqual(['1', '1']);
      const minutes = await store.read(dimension, 'minute', '2030-01-01T09:59:00Z', '2030-01-01T10:59:59Z');
      expect(minutes.map((c) => [c.period, c.counters.count])).toEqual([
        ['MIN#2030-01-01T09:59', 3],
        ['MIN#2030-01-01T10:05', 1],
      ]);
      expect(await store.read(dimension, 'hour', '2030-01-01T00:00:00Z', '2030-01-01T23:59:59Z')).toEqual([
        cell(dimension, 'HOUR#2030-01-01T10', { count: 1 }),
      ]);
      expect(
        (await store.read(route, 'minute', '2030-01-01T10:05:00Z', '2030-01-01T10:05:00Z'))[0]!.counters,
      ).toEqual({
        count: 1,
        'error:upstream-timeout': 1,
      });
    });

    it('takes a cell of 40 counters, the most one write gives a cell', async () => {
      const store = await setup();
      const [shard, dimension] = [unique('stream/shard'), unique('calls')];
      const counters = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`latency:${i - 20}`, i + 1]));
      expect(
        await store.apply(shard, undefined, '1', [cell(dimension, 'MIN#2030-01-01T00:00', counters)]),
      ).toBe(true);
      const [stored] = await store.read(dimension, 'minute', '2030-01-01T00:00:00Z', '2030-01-01T00:00:00Z');
      expect(stored!.counters).toEqual(counters);
    });

    it('takes a full chunk of 99 cells in one step', async () => {
      const store = await setup();
      const [shard, prefix] = [unique('stream/shard'), unique('calls#app')];
      const cells = Array.from({ length: 99 }, (_, i) =>
        cell(`${prefix}=${i}`, 'MIN#2030-01-01T00:00', { count: i + 1, [`latency:${i}`]: 1 }),
      );
      expect(
        await store.apply(
          shard,
          undefined,
          '49545115243490985018280067714973144582180062593244200961',
          cells,
        ),
      ).toBe(true);
      expect(await store.checkpoint(shard)).toBe('49545115243490985018280067714973144582180062593244200961');
      const [last] = await store.read(
        `${prefix}=98`,
        'minute',
        '2030-01-01T00:00:00Z',
        '2030-01-01T00:00:00Z',
      );
      expect(last!.counters).toEqual({ count: 99, 'latency:98': 1 });
    });
  });
}
