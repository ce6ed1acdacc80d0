import { describe, expect, it } from 'vitest';
import { MemoryTopicStore } from './testing/memory-stores.ts';
import { aTopic } from './testing/topic-store.contract.ts';
import { cachedTopics } from './topic-cache.ts';

describe('cachedTopics', () => {
  it('reuses a topic for ttlMs and a miss for missTtlMs, then reads again', async () => {
    const store = new MemoryTopicStore();
    let reads = 0;
    let now = 0;
    const counting = {
      get: (name: string) => {
        reads++;
        return store.get(name);
      },
    };
    const topics = cachedTopics(counting, { ttlMs: 1000, missTtlMs: 100, clock: () => now });
    expect(await topics.get('orders.created')).toBeUndefined();
    await store.put(aTopic('orders.created'));
    expect(await topics.get('orders.created')).toBeUndefined();
    now = 101;
    expect((await topics.get('orders.created'))?.revision).toBe(1);
    await store.put(aTopic('orders.created', { description: 'New.' }));
    now = 1100;
    expect((await topics.get('orders.created'))?.revision).toBe(1);
    now = 1102;
    expect((await topics.get('orders.created'))?.revision).toBe(2);
    expect(reads).toBe(3);
  });
});
