import { describe, expect, it } from 'vitest';
import { RevisionConflictError } from '../../kernel/revision.ts';
import type { TopicStore } from '../ports.ts';
import type { Topic } from '../topic.ts';

export const aTopic = (name: string, over: Partial<Topic> = {}): Topic => ({
  name,
  description: 'An order was placed.',
  owner: 'orders-team',
  scope: 'orders:read',
  payloadSchema: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
  example: { orderId: 'o-1' },
  retentionDays: 30,
  ...over,
});

/**
 * What every `TopicStore` must do (messages/ports.ts): each write makes the next revision, a write over
 * a stale revision changes nothing, and the list holds every topic by name.
 */
export function topicStoreContract(name: string, setup: () => Promise<TopicStore>): void {
  describe(`TopicStore contract: ${name}`, () => {
    it('stores revisions and reads them back as written', async () => {
      const store = await setup();
      const first = await store.put(aTopic('orders.created'));
      expect(first).toMatchObject({ ...aTopic('orders.created'), revision: 1 });
      const second = await store.put(aTopic('orders.created', { description: 'Changed.' }), 1);
      expect(second.revision).toBe(2);
      expect(await store.get('orders.created')).toEqual(second);
      expect(await store.get('orders.unknown')).toBeUndefined();
    });

    it('refuses a stale or premature revision and keeps what is stored', async () => {
      const store = await setup();
      await store.put(aTopic('orders.paid'));
      await expect(store.put(aTopic('orders.paid', { description: 'x' }), 0)).rejects.toBeInstanceOf(
        RevisionConflictError,
      );
      await expect(store.put(aTopic('orders.paid', { description: 'x' }), 7)).rejects.toBeInstanceOf(
        RevisionConflictError,
      );
      await expect(store.put(aTopic('orders.new'), 1)).rejects.toBeInstanceOf(RevisionConflictError);
      expect((await store.get('orders.paid'))?.description).toBe('An order was placed.');
      expect(await store.get('orders.new')).toBeUndefined();
    });

    it('lists every topic by name and forgets a deleted one', async () => {
      const store = await setup();
      for (const n of ['b.two', 'a.one', 'c.three']) await store.put(aTopic(n));
      expect((await store.list()).map((t) => t.name)).toEqual(['a.one', 'b.two', 'c.three']);
      expect(await store.delete('b.two')).toBe(true);
      expect(await store.delete('b.two')).toBe(false);
      expect((await store.list()).map((t) => t.name)).toEqual(['a.one', 'c.three']);
    });

    it('lets one of two writers over the same revision win', async () => {
      const store = await setup();
      await store.put(aTopic('race.topic'));
      const results = await Promise.allSettled(
        ['one', 'two'].map((d) => store.put(aTopic('race.topic', { description: d }), 1)),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won.length).toBeGreaterThanOrEqual(1);
      for (const r of results)
        if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(RevisionConflictError);
      expect((await store.get('race.topic'))?.revision).toBe(1 + won.length);
    });
  });
}
