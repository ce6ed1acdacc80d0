import { describe, expect, it } from 'vitest';
import { EgressGuard } from '../egress/guard.ts';
import { DEFAULT_EGRESS_POLICY } from '../egress/policy.ts';
import { FakeResolver } from '../egress/testing/fake-resolver.ts';
import { FakeCipher } from '../identity/testing/memory-stores.ts';
import { DomainError } from '../kernel/errors.ts';
import { outcomeOfStatus } from './attempt-outcome.ts';
import { liveWebhookSecrets } from './create-subscription.ts';
import { afterAttempt, newDelivery } from './delivery.ts';
import { SubscriptionActions, subscriptionView } from './subscription-actions.ts';
import { MemoryDeliveryStore, MemorySubscriptionStore, MemoryTopicStore } from './testing/memory-stores.ts';
import { aTopic } from './testing/topic-store.contract.ts';

const T0 = Date.UTC(2030, 0, 1);
const alice = { appId: 'app-alice', scopes: ['orders:read'] };
const mallory = { appId: 'app-mallory', scopes: ['orders:read'] };

async function setup() {
  let now = T0;
  const topics = new MemoryTopicStore();
  await topics.put(aTopic('orders.created'));
  const subscriptions = new MemorySubscriptionStore();
  const deliveries = new MemoryDeliveryStore();
  const queued: string[] = [];
  const cipher = new FakeCipher();
  const actions = new SubscriptionActions({
    topics,
    subscriptions,
    deliveries,
    queue: { enqueue: async (items) => void queued.push(...items.map((i) => i.deliveryId)) },
    cipher,
    egress: new EgressGuard(
      DEFAULT_EGRESS_POLICY,
      new FakeResolver({ 'hooks.example': ['93.184.216.34'], 'inside.example': ['10.0.0.8'] }),
    ),
    clock: () => now,
  });
  const { subscription, secret } = await actions.create(alice, {
    topic: 'orders.created',
    mode: 'webhook',
    url: 'https://hooks.example/a',
  });
  return {
    actions,
    subscriptions,
    deliveries,
    queued,
    cipher,
    subscription,
    secret: secret!,
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (e: DomainError) => {
      expect(e).toBeInstanceOf(DomainError);
      return e.code;
    },
  );

describe('SubscriptionActions', () => {
  it("answers another app's subscription as one that does not exist, for every action", async () => {
    const { actions, subscription, subscriptions } = await setup();
    const id = subscription.subscriptionId;
    expect(await code(actions.get(mallory, id))).toBe('not-found');
    expect(await code(actions.update(mallory, id, { state: 'paused' }))).toBe('not-found');
    expect(await code(actions.rotateSecret(mallory, id, {}))).toBe('not-found');
    expect(await code(actions.recover(mallory, id, { since: '2030-01-01T00:00:00Z' }))).toBe('not-found');
    expect(await code(actions.delete(mallory, id))).toBe('not-found');
    expect((await actions.list(mallory, { limit: 10 })).items).toEqual([]);
    expect(await subscriptions.get(id)).toEqual(subscription);
  });

  it('never shows a secret in its view', async () => {
    const { subscription, secret } = await setup();
    const view = JSON.stringify(subscriptionView(subscription));
    expect(view).not.toContain(secret);
    expect(view).not.toContain(subscription.secrets[0]!.ciphertext);
  });

  it('holds deliveries while paused and, on resume, releases them and queues them at once', async () => {
    const { actions, subscription, deliveries, queued, advance } = await setup();
    await actions.update(alice, subscription.subscriptionId, { state: 'paused' });
    const held = newDelivery(
      { messageId: 'evt-1', topic: 'orders.created' },
      { ...subscription, state: 'paused' },
      T0,
    );
    await deliveries.save(held, 0);
    advance(1000);
    const { subscription: resumed, released } = await actions.update(alice, subscription.subscriptionId, {
      state: 'active',
    });
    expect(resumed.state).toBe('active');
    expect(released).toEqual({ moved: 1, more: false });
    expect((await deliveries.get(held.deliveryId))?.status).toBe('Queued');
    expect(queued).toEqual([held.deliveryId]);
  });

  it('changes url, filter and schedule as asked, and refuses a private URL or a bad body, changing nothing', async () => {
    const { actions, subscription, subscriptions } = await setup();
    const id = subscription.subscriptionId;
    const { subscription: changed } = await actions.update(alice, id, {
      url: 'https://hooks.example/b',
      filter: { status: 'paid' },
      retrySchedule: [0, 10],
    });
    expect(changed).toMatchObject({
      url: 'https://hooks.example/b',
      filter: { status: 'paid' },
      retrySchedule: [0, 10],
    });
    const { subscription: cleared } = await actions.update(alice, id, { filter: null, retrySchedule: null });
    expect(cleared.filter).toBeUndefined();
    expect(cleared.retrySchedule).toBeUndefined();
    const before = await subscriptions.get(id);
    for (const bad of [
      { url: 'https://inside.example/x' },
      { url: 'http://hooks.example/x' },
      { url: 'https://169.254.169.254/latest' },
      { topic: 'orders.paid' },
      { mode: 'pull' },
      {},
      { filter: { 'no spaces': 1 } },
      { retrySchedule: [] },
      { state: 'disabled' },
    ]) {
      expect(await code(actions.update(alice, id, bad)), JSON.stringify(bad)).toBe('validation-failed');
    }
    expect(await subscriptions.get(id)).toEqual(before);
  });

  it('rotates the secret: both sign during the overlap, then only the new one', async () => {
    const { actions, subscription, secret, cipher, advance, now } = await setup();
    const rotated = await actions.rotateSecret(alice, subscription.subscriptionId, { overlapSeconds: 60 });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.previousExpiresAt).toBe(now() + 60_000);
    const live = liveWebhookSecrets(cipher, now);
    expect(await live(rotated.subscription)).toEqual([rotated.secret, secret]);
    advance(61_000);
    expect(await live(rotated.subscription)).toEqual([rotated.secret]);
    const again = await actions.rotateSecret(alice, subscription.subscriptionId, { overlapSeconds: 0 });
    expect(again.subscription.secrets).toHaveLength(1);
    expect(await code(actions.rotateSecret(alice, subscription.subscriptionId, { overlapSeconds: -1 }))).toBe(
      'validation-failed',
    );
  });

  it('recovers the deliveries that failed since a time, and only those', async () => {
    const { actions, subscription, deliveries, queued } = await setup();
    const failedAt = async (id: string, at: number) => {
      const d = newDelivery({ messageId: id, topic: 'orders.created' }, subscription, at - 10);
      await deliveries.save(d, 0);
      await deliveries.save(afterAttempt(d, outcomeOfStatus(410), at, [0]).delivery, d.version);
      return d.deliveryId;
    };
    const early = await failedAt('evt-early', T0 - 3_600_000);
    const late = await failedAt('evt-late', T0 - 60_000);
    const result = await actions.recover(alice, subscription.subscriptionId, {
      since: new Date(T0 - 600_000).toISOString(),
    });
    expect(result).toEqual({ moved: 1, more: false });
    expect(queued).toEqual([late]);
    expect((await deliveries.get(late))?.status).toBe('Queued');
    expect((await deliveries.get(early))?.status).toBe('Failed');
    expect(await code(actions.recover(alice, subscription.subscriptionId, { since: 'yesterday' }))).toBe(
      'validation-failed',
    );
  });

  it('deletes a subscription of its own app', async () => {
    const { actions, subscription, subscriptions } = await setup();
    await actions.delete(alice, subscription.subscriptionId);
    expect(await subscriptions.get(subscription.subscriptionId)).toBeUndefined();
    expect(await code(actions.get(alice, subscription.subscriptionId))).toBe('not-found');
  });
});
