import { describe, expect, it } from 'vitest';
import { DomainError } from '../kernel/errors.ts';
import { MemorySubscriptionStore, MemoryTopicStore } from '../messages/testing/memory-stores.ts';
import { aTopic } from '../messages/testing/topic-store.contract.ts';
import type { AuditEntry } from './audit.ts';
import { TopicActions } from './topic-actions.ts';

const ctx = {
  actor: { subject: 'ops', clientId: 'ak_ops', role: 'console:operator' as const },
  requestId: 'req-1',
  now: new Date('2026-01-01T00:00:00Z'),
};

function setup() {
  const topics = new MemoryTopicStore();
  const subscriptions = new MemorySubscriptionStore();
  const audit: AuditEntry[] = [];
  const actions = new TopicActions({
    topics,
    subscriptions,
    store: { appendAudit: async (entry) => void audit.push(entry) },
  });
  return { actions, topics, subscriptions, audit };
}

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: DomainError) => {
      expect(error).toBeInstanceOf(DomainError);
      return error.code;
    },
  );

describe('TopicActions', () => {
  it('creates, then updates over the revision read, auditing both', async () => {
    const { actions, audit } = setup();
    const created = await actions.put(ctx, 'orders.created', { ...aTopic('orders.created') }, undefined);
    expect(created).toMatchObject({ created: true, topic: { revision: 1 } });
    const updated = await actions.put(
      ctx,
      'orders.created',
      { ...aTopic('orders.created'), description: 'New.' },
      '"1"',
    );
    expect(updated).toMatchObject({ created: false, topic: { revision: 2, description: 'New.' } });
    expect(audit.map((a) => a.action)).toEqual(['topic.create', 'topic.update']);
    expect(audit[1]?.before).toMatchObject({ revision: 1 });
  });

  it('refuses a stale If-Match, a name that differs from the path, a bad schema or example: nothing stored', async () => {
    const { actions, topics, audit } = setup();
    await actions.put(ctx, 'orders.created', { ...aTopic('orders.created') }, undefined);
    expect(await code(actions.put(ctx, 'orders.created', { ...aTopic('orders.created') }, '"5"'))).toBe(
      'conflict',
    );
    expect(await code(actions.put(ctx, 'orders.paid', { ...aTopic('orders.created') }, undefined))).toBe(
      'validation-failed',
    );
    const badExample = { ...aTopic('orders.paid'), example: { orderId: 7 } };
    expect(await code(actions.put(ctx, 'orders.paid', badExample, undefined))).toBe('validation-failed');
    const badSchema = { ...aTopic('orders.paid'), payloadSchema: { type: 'no-such-type' } };
    expect(await code(actions.put(ctx, 'orders.paid', badSchema, undefined))).toBe('validation-failed');
    expect(await code(actions.put(ctx, 'Orders', { ...aTopic('Orders') }, undefined))).toBe(
      'validation-failed',
    );
    expect(
      await code(actions.put(ctx, 'orders.paid', { ...aTopic('orders.paid'), extra: 1 }, undefined)),
    ).toBe('validation-failed');
    expect((await topics.list()).map((t) => [t.name, t.revision])).toEqual([['orders.created', 1]]);
    expect(audit).toHaveLength(1);
  });

  it('refuses to delete a topic that still has subscriptions, and deletes it once they are gone', async () => {
    const { actions, subscriptions, topics } = setup();
    await actions.put(ctx, 'orders.created', { ...aTopic('orders.created') }, undefined);
    await subscriptions.create({
      subscriptionId: 'sub_1',
      appId: 'app_1',
      topic: 'orders.created',
      mode: 'pull',
      state: 'active',
      health: {},
      secrets: [],
      version: 1,
      createdAt: 1,
    });
    expect(await code(actions.delete(ctx, 'orders.created'))).toBe('conflict');
    subscriptions.subscriptions.clear();
    await actions.delete(ctx, 'orders.created');
    expect(await topics.get('orders.created')).toBeUndefined();
    expect(await code(actions.delete(ctx, 'orders.created'))).toBe('not-found');
  });
});
