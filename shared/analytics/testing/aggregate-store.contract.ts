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
// Kinesis sequence numbers are wide decimals: far past Number's exact range.
const SEQUENCE = '49545115243490985018280067714973144582180062593244200961';

/**
 * What every `AggregateStore` must do (analytics/ports.ts): write a cell only over the version its
 * writer read, give it back whole with its marks, and read a dimension's periods back in order.
 */
export function aggregateStoreContract(name: string, setup: () => Promise<AggregateStore>): void {
  describe(`AggregateStore contract: ${name}`, () => {
    it('writes a new cell, then only over the version read, raising it each time', async () => {
      const store = await setup();
      const key = { dimension: unique('calls#api=a'), period: 'MIN#2030-01-01T00:01' };
      expect(await store.load([key])).toEqual([]);
      const counters = { count: 2, 'status:2xx': 2, 'latency:-5': 1, 'latency:z': 1, latencySumMs: 0.75 };
      expect(await store.save({ ...key, counters, counted: { 'stream/shard-0': SEQUENCE } }, undefined)).toBe(
        true,
      );
      const [first] = await store.load([key]);
      expect(first).toEqual({ ...key, counters, counted: { 'stream/shard-0': SEQUENCE }, version: 1 });
      // A second writer that read nothing, or an old version, writes nothing.
      expect(await store.save({ ...key, counters: { count: 9 }, counted: {} }, undefined)).toBe(false);
      const next = {
        ...key,
        counters: { ...counters, count: 3 },
        counted: { 'stream/shard-0': '7', other: '1' },
      };
      expect(await store.save(next, 1)).toBe(true);
      expect(await store.save({ ...next, counters: { count: 99 } }, 1)).toBe(false);
      expect(await store.load([key])).toEqual([{ ...next, version: 2 }]);
    });

    it('loads many cells at once, more than one read takes, leaving out those never written', async () => {
      const store = await setup();
      const prefix = unique('calls#app');
      const keys = Array.from({ length: 130 }, (_, i) => ({
        dimension: `${prefix}=${i}`,
        period: 'MIN#2030-01-01T00:00',
      }));
      for (const key of keys.filter((_, i) => i % 2 === 0))
        await store.save({ ...key, counters: { count: 1 }, counted: { s: '1' } }, undefined);
      const loaded = await store.load(keys);
      expect(loaded.map((c) => c.dimension).sort()).toEqual(
        keys
          .filter((_, i) => i % 2 === 0)
          .map((k) => k.dimension)
          .sort(),
      );
    });

    it('takes a cell with hundreds of counters (a day of latency buckets)', async () => {
      const store = await setup();
      const key = { dimension: unique('calls'), period: 'DAY#2030-01-01' };
      const counters = Object.fromEntries(
        Array.from({ length: 600 }, (_, i) => [`latency:${i - 300}`, i + 1]),
      );
      expect(await store.save({ ...key, counters, counted: { s: SEQUENCE } }, undefined)).toBe(true);
      const [stored] = await store.read(key.dimension, 'day', '2030-01-01T00:00:00Z', '2030-01-01T00:00:00Z');
      expect(stored!.counters).toEqual(counters);
    });

    it('reads only the asked grain and range, in order', async () => {
      const store = await setup();
      const dimension = unique('calls#app=x#api=y');
      const write = (period: string, count: number) =>
        store.save({ ...cell(dimension, period, { count }), counted: { s: '1' } }, undefined);
      await write('MIN#2030-01-01T10:05', 1);
      await write('HOUR#2030-01-01T10', 1);
      await write('MIN#2030-01-01T09:59', 3);
      await write('MIN#2030-01-01T11:00', 4);
      const minutes = await store.read(dimension, 'minute', '2030-01-01T09:59:00Z', '2030-01-01T10:59:59Z');
      expect(minutes.map((c) => [c.period, c.counters.count])).toEqual([
        ['MIN#2030-01-01T09:59', 3],
        ['MIN#2030-01-01T10:05', 1],
      ]);
      expect(await store.read(dimension, 'hour', '2030-01-01T00:00:00Z', '2030-01-01T23:59:59Z')).toEqual([
        cell(dimension, 'HOUR#2030-01-01T10', { count: 1 }),
      ]);
    });
  });
}
