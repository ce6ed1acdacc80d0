import { describe, expect, it } from 'vitest';
import { MemoryTrafficStore } from './testing/memory-stores.ts';
import { PartnerTrafficCounter } from './traffic-counter.ts';

const MINUTE = 60_000;

describe('the partner traffic counter', () => {
  const setup = () => {
    let now = 29_000_000 * MINUTE;
    const store = new MemoryTrafficStore();
    let writes = 0;
    const counted = {
      put: async (...args: Parameters<MemoryTrafficStore['put']>) => {
        writes++;
        await store.put(...args);
      },
    };
    const errors: unknown[] = [];
    const counter = new PartnerTrafficCounter(
      counted,
      'i1',
      (e) => void errors.push(e),
      { windowMs: MINUTE, flushEveryMs: 5_000 },
      () => now,
    );
    return {
      counter,
      store,
      writes: () => writes,
      advance: (ms: number) => {
        now += ms;
      },
      now: () => now,
      errors,
    };
  };

  it('writes a partner at most once per interval, totals not increments, and the whole window at its end', async () => {
    const t = setup();
    const start = Math.floor(t.now() / MINUTE) * MINUTE;
    for (let i = 0; i < 100; i++) t.counter.record('p', { ok: i % 10 !== 0, latencyMs: i, slowAfterMs: 94 });
    await t.counter.flush();
    expect(t.writes()).toBeLessThanOrEqual(2);
    expect(await t.store.read('p', start, start)).toEqual([{ start, calls: 100, succeeded: 90, slow: 5 }]);
    t.advance(MINUTE);
    t.counter.record('p', { ok: true, latencyMs: 1, slowAfterMs: 94 });
    await t.counter.flush();
    expect(await t.store.read('p', start, start + MINUTE)).toEqual([
      { start, calls: 100, succeeded: 90, slow: 5 },
      { start: start + MINUTE, calls: 1, succeeded: 1, slow: 0 },
    ]);
  });

  it('writes the last calls before a quiet spell once they are due, without another call', async () => {
    const store = new MemoryTrafficStore();
    const counter = new PartnerTrafficCounter(store, 'i1', () => {}, { windowMs: MINUTE, flushEveryMs: 30 });
    counter.record('p', { ok: true, latencyMs: 1, slowAfterMs: 10 });
    counter.record('p', { ok: false, latencyMs: 1, slowAfterMs: 10 });
    const start = Math.floor(Date.now() / MINUTE) * MINUTE;
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await store.read('p', start - MINUTE, start + MINUTE)).toMatchObject([{ calls: 2, succeeded: 1 }]);
  });

  it('keeps counting through a failed write and writes the totals later', async () => {
    const t = setup();
    let fail = true;
    const store = new MemoryTrafficStore();
    const counter = new PartnerTrafficCounter(
      {
        put: async (...args) => {
          if (fail) throw new Error('throttled');
          await store.put(...args);
        },
      },
      'i1',
      (e) => void t.errors.push(e),
      { windowMs: MINUTE, flushEveryMs: 5_000 },
      t.now,
    );
    counter.record('p', { ok: true, latencyMs: 1, slowAfterMs: 10 });
    await counter.flush();
    expect(t.errors.length).toBeGreaterThanOrEqual(1);
    fail = false;
    counter.record('p', { ok: false, latencyMs: 1, slowAfterMs: 10 });
    await counter.flush();
    const start = Math.floor(t.now() / MINUTE) * MINUTE;
    expect(await store.read('p', start, start)).toEqual([{ start, calls: 2, succeeded: 1, slow: 0 }]);
  });
});
