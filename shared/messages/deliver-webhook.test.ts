import { Webhook } from 'standardwebhooks';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeliveryRecord } from '../analytics/delivery-record.ts';
import { deliverWebhook, SUBSCRIPTION_READ_MS, webhookBody } from './deliver-webhook.ts';
import { type Delivery, newDelivery } from './delivery.ts';
import { endpointGuard } from './endpoint-guard.ts';
import type { Message } from './message.ts';
import { type DeliveryEvent, type Subscription, WebhookSendError, type WebhookSender } from './ports.ts';
import { MemoryDeliveryStore, MemoryMessageStore, MemorySubscriptionStore } from './testing/memory-stores.ts';
import { generateWebhookSecret } from './webhook-signature.ts';

const T0 = 1_796_000_000_000;
const DAY = 86_400_000;

/** `hang`: the receiver never answers (the worker dies waiting). */
function setup(answers: Array<number | 'timeout' | 'hang' | { status: number; retryAfter?: string }>) {
  let now = T0;
  const secret = generateWebhookSecret();
  const deliveries = new MemoryDeliveryStore();
  const subscriptions = new MemorySubscriptionStore();
  const messages = new MemoryMessageStore();
  const events: DeliveryEvent[] = [];
  const sent: Parameters<WebhookSender>[0][] = [];
  const message: Message = {
    messageId: 'evt-1',
    topic: 'orders.created',
    source: 'biz.orders',
    payload: { orderId: 'o-1', note: 'Zoë' },
    status: 'Accepted',
    publishedAt: new Date(T0).toISOString(),
    receivedAt: new Date(T0).toISOString(),
  };
  messages.messages.set(message.messageId, message);
  const subscription: Subscription = {
    subscriptionId: 'sub-1',
    appId: 'app-1',
    topic: 'orders.created',
    mode: 'webhook',
    url: 'https://receiver.example/hooks',
    state: 'active',
    retrySchedule: [0, 5, 60],
    health: {},
    secrets: [],
    version: 1,
    createdAt: T0,
  };
  subscriptions.subscriptions.set(subscription.subscriptionId, subscription);
  const delivery = newDelivery(message, subscription, T0);
  deliveries.deliveries.set(delivery.deliveryId, delivery);
  const send: WebhookSender = async (request) => {
    sent.push(request);
    const answer = answers.shift() ?? 200;
    if (answer === 'timeout') throw new WebhookSendError('timeout', 15_000, 'no answer in 15 s');
    if (answer === 'hang') return new Promise(() => {});
    const { status, retryAfter } =
      typeof answer === 'number' ? { status: answer, retryAfter: undefined } : answer;
    return { status, ...(retryAfter ? { retryAfter } : {}), excerpt: `answer ${status}`, latencyMs: 3 };
  };
  const deps = {
    deliveries,
    subscriptions,
    messages,
    secrets: async () => [secret],
    send,
    events: async (event: DeliveryEvent) => {
      events.push(event);
    },
    clock: () => now,
  };
  const run = () => deliverWebhook(deps, delivery.deliveryId);
  const stored = () => deliveries.deliveries.get(delivery.deliveryId)!;
  const advanceTo = (at: number) => {
    now = at;
  };
  return { deps, run, stored, advanceTo, sent, events, secret, message, delivery, deliveries, subscriptions };
}

describe('delivering a webhook', () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup([]);
  });

  it('signs the exact body so that the standardwebhooks package verifies it, and marks the delivery Sent', async () => {
    expect(await t.run()).toEqual({ result: 'sent' });
    const [request] = t.sent;
    expect(request!.body).toEqual(webhookBody(t.message));
    expect(JSON.parse(request!.body.toString())).toEqual({
      type: 'orders.created',
      timestamp: t.message.publishedAt,
      data: t.message.payload,
    });
    expect(request!.headers['webhook-id']).toBe(t.delivery.deliveryId);
    expect(request!.headers['webhook-message-id']).toBe('evt-1');
    vi.spyOn(Date, 'now').mockReturnValue(T0); // the package checks the timestamp against its own clock
    const verified = new Webhook(t.secret).verify(request!.body.toString(), {
      'webhook-id': request!.headers['webhook-id']!,
      'webhook-timestamp': request!.headers['webhook-timestamp']!,
      'webhook-signature': request!.headers['webhook-signature']!,
    });
    vi.restoreAllMocks();
    expect(verified).toEqual(JSON.parse(request!.body.toString()));
    expect(t.stored()).toMatchObject({ status: 'Sent', attempts: 1 });
    expect(await t.deliveries.attempts(t.delivery.deliveryId)).toEqual([
      {
        deliveryId: t.delivery.deliveryId,
        attempt: 1,
        at: T0,
        latencyMs: 3,
        status: 200,
        responseExcerpt: 'answer 200',
      },
    ]);
    expect(await t.run()).toEqual({ result: 'skipped' }); // a redelivered queue message changes nothing
    expect(t.sent).toHaveLength(1);
  });
});

describe('a failing endpoint', () => {
  it('is retried on its schedule with the same webhook-id, then the delivery fails with an event', async () => {
    const t = setup([500, 'timeout', 302]);
    expect(await t.run()).toEqual({ result: 'retry', dueAt: T0 + 5_000 });
    expect(await t.run()).toEqual({ result: 'not-due', dueAt: T0 + 5_000 });
    t.advanceTo(T0 + 5_000);
    expect(await t.run()).toEqual({ result: 'retry', dueAt: T0 + 65_000 });
    t.advanceTo(T0 + 65_000);
    expect(await t.run()).toEqual({ result: 'failed' });
    expect(new Set(t.sent.map((r) => r.headers['webhook-id']))).toEqual(new Set([t.delivery.deliveryId]));
    expect((await t.deliveries.attempts(t.delivery.deliveryId)).map((a) => a.errorClass)).toEqual([
      'server-error',
      'timeout',
      'redirect',
    ]);
    expect(t.events.map((e) => e.kind)).toEqual(['exhausted']);
    expect(t.stored()).toMatchObject({ status: 'Failed', attempts: 3, lastError: 'redirect' });
  });

  it('reports a recovery, and clears the endpoint’s failing state', async () => {
    const t = setup([503, 200]);
    await t.run();
    expect(t.subscriptions.subscriptions.get('sub-1')!.health).toEqual({ failingSince: T0 });
    t.advanceTo(T0 + 5_000);
    expect(await t.run()).toEqual({ result: 'sent' });
    expect(t.events.map((e) => e.kind)).toEqual(['recovered']);
    expect(t.subscriptions.subscriptions.get('sub-1')!.health).toEqual({});
  });

  it('that answers 410 disables its subscription, and later deliveries are held, not dropped', async () => {
    const t = setup([410]);
    expect(await t.run()).toEqual({ result: 'failed' });
    expect(t.subscriptions.subscriptions.get('sub-1')!.state).toBe('disabled');
    expect(t.events.map((e) => e.kind)).toEqual(['disable-gone', 'exhausted']);
    const next: Delivery = newDelivery(
      { messageId: 'evt-2', topic: 'orders.created' },
      { ...(await t.subscriptions.get('sub-1'))!, state: 'active' },
      T0,
    );
    t.deliveries.deliveries.set(next.deliveryId, next);
    t.deps.messages.messages.set('evt-2', { ...t.message, messageId: 'evt-2' });
    expect(await deliverWebhook(t.deps, next.deliveryId)).toEqual({ result: 'held' });
    expect(t.deliveries.deliveries.get(next.deliveryId)!.status).toBe('Paused');
    expect(t.sent).toHaveLength(1);
  });

  it('is warned a day before being disabled after five days of failures', async () => {
    const t = setup(Array(40).fill(500));
    const sub = t.subscriptions.subscriptions.get('sub-1')!;
    t.subscriptions.subscriptions.set('sub-1', { ...sub, retrySchedule: Array(12).fill(43_200) });
    for (let i = 0; i < 12; i++) {
      const due = t.stored().dueAt;
      if (due === undefined) break;
      t.advanceTo(due);
      await t.run();
    }
    const kinds = t.events.map((e) => e.kind);
    expect(kinds.slice(0, 2)).toEqual(['warn-disable', 'disable']);
    expect(t.subscriptions.subscriptions.get('sub-1')!.state).toBe('disabled');
    const warnedAt = t.subscriptions.subscriptions.get('sub-1')!.health.warnedAt!;
    expect(warnedAt - T0).toBeGreaterThanOrEqual(4 * DAY);
  });

  it('honours Retry-After on 429', async () => {
    const t = setup([{ status: 429, retryAfter: '600' }]);
    expect(await t.run()).toEqual({ result: 'retry', dueAt: T0 + 600_000 });
  });
});

describe('two workers on one delivery', () => {
  it('send it once: the one that loses the claim goes without sending', async () => {
    const t = setup([200, 200]);
    let tick = T0;
    t.deps.clock = () => tick++;
    const [a, b] = await Promise.all([t.run(), t.run()]);
    expect([a, b].map((r) => r.result).sort()).toEqual(['sent', 'superseded']);
    expect(t.sent).toHaveLength(1);
    expect(t.stored()).toMatchObject({ status: 'Sent', attempts: 1, version: 3 });
    expect(await t.deliveries.attempts(t.delivery.deliveryId)).toHaveLength(1);
  });

  it('leave a claim whose worker died to run out: the delivery is due again at its end, not before', async () => {
    const t = setup(['hang', 200]);
    void t.run();
    await vi.waitFor(() => expect(t.sent).toHaveLength(1));
    const claimed = t.stored();
    expect(claimed).toMatchObject({ status: 'Queued', attempts: 0 });
    expect(await t.run()).toEqual({ result: 'not-due', dueAt: claimed.dueAt });
    t.advanceTo(claimed.dueAt!);
    expect(await t.run()).toEqual({ result: 'sent' });
    expect(t.sent).toHaveLength(2);
  });
});

describe('a receiving host that keeps failing', () => {
  it('is left alone once its breaker opens: deliveries are deferred, no attempt made or counted', async () => {
    const t = setup(['timeout', 'timeout', 'timeout', 'timeout', 'timeout']);
    t.subscriptions.subscriptions.get('sub-1')!.retrySchedule = [0, 1, 1, 1, 1, 1, 1];
    const deps = { ...t.deps, endpoints: endpointGuard() };
    for (let i = 0; i < 5; i++) {
      const outcome = await deliverWebhook(deps, t.delivery.deliveryId);
      expect(outcome.result).toBe('retry');
      t.advanceTo(t.stored().dueAt!);
    }
    const attempts = t.stored().attempts;
    const deferred = await deliverWebhook(deps, t.delivery.deliveryId);
    expect(deferred).toMatchObject({ result: 'deferred', reason: 'circuit-open' });
    expect(t.stored().attempts).toBe(attempts);
    expect(t.sent).toHaveLength(5);
  });

  it('gets its slot back when delivery fails before the request is made', async () => {
    const t = setup([]);
    const guard = endpointGuard({ maxConcurrent: 1 });
    const broken = {
      ...t.deps,
      endpoints: guard,
      secrets: async () => Promise.reject(new Error('KMS down')),
    };
    await expect(deliverWebhook(broken, t.delivery.deliveryId)).rejects.toThrow('KMS down');
    expect(await deliverWebhook({ ...t.deps, endpoints: guard }, t.delivery.deliveryId)).toEqual({
      result: 'sent',
    });
  });
});

describe('analytics', () => {
  it('gets one delivery record per attempt, with its outcome and never the payload', async () => {
    const t = setup([503, 200]);
    const records: DeliveryRecord[] = [];
    const deps = { ...t.deps, record: (r: DeliveryRecord) => void records.push(r) };
    await deliverWebhook(deps, t.delivery.deliveryId);
    t.advanceTo(t.stored().dueAt!);
    await deliverWebhook(deps, t.delivery.deliveryId);
    expect(records.map((r) => [r.attempt, r.outcome, r.status])).toEqual([
      [1, 'retry', 503],
      [2, 'sent', 200],
    ]);
    expect(records[0]).toMatchObject({
      kind: 'delivery',
      endpoint: 'https://receiver.example',
      appId: 'app-1',
    });
    expect(JSON.stringify(records)).not.toContain('Zoë');
  });
});

describe('a subscription with its own rate', () => {
  it('is not attempted beyond it: the delivery is deferred until the window ends, no attempt counted', async () => {
    const t = setup([]);
    t.subscriptions.subscriptions.get('sub-1')!.rateLimit = { limit: 1, windowSeconds: 60 };
    const deps = { ...t.deps, throttle: async () => ({ allowed: false, retryAfterMs: 30_000 }) };
    expect(await deliverWebhook(deps, t.delivery.deliveryId)).toMatchObject({
      result: 'deferred',
      reason: 'rate-limited',
      dueAt: T0 + 30_000,
    });
    expect(t.sent).toHaveLength(0);
    expect(t.stored().attempts).toBe(0);
  });
});

describe('the reads of a worker', () => {
  it('are made once for the deliveries of a batch: message, subscription and secrets', async () => {
    const t = setup([]);
    const reads = { messages: 0, subscriptions: 0, secrets: 0 };
    const others = ['sub-2', 'sub-3'].map((subscriptionId) => {
      t.subscriptions.subscriptions.set(subscriptionId, {
        ...t.subscriptions.subscriptions.get('sub-1')!,
        subscriptionId,
      });
      const d = newDelivery(t.message, { subscriptionId, appId: 'app-1', state: 'active' }, T0);
      t.deliveries.deliveries.set(d.deliveryId, d);
      return d.deliveryId;
    });
    const sameSubscription = newDelivery(
      { ...t.message, messageId: 'evt-2' },
      { subscriptionId: 'sub-1', appId: 'app-1', state: 'active' },
      T0,
    );
    t.deliveries.deliveries.set(sameSubscription.deliveryId, sameSubscription);
    t.deps.messages.messages.set('evt-2', { ...t.message, messageId: 'evt-2' });
    const deps = {
      ...t.deps,
      messages: {
        get: (id: string) => {
          reads.messages++;
          return t.deps.messages.get(id);
        },
      },
      subscriptions: {
        get: (id: string) => {
          reads.subscriptions++;
          return t.subscriptions.get(id);
        },
        save: t.subscriptions.save.bind(t.subscriptions),
      } as unknown as typeof t.subscriptions,
      secrets: async () => {
        reads.secrets++;
        return [t.secret];
      },
    } as unknown as typeof t.deps;
    const batch = [t.delivery.deliveryId, ...others, sameSubscription.deliveryId];
    const results = await Promise.all(batch.map((id) => deliverWebhook(deps, id)));
    expect(results.map((r) => r.result)).toEqual(['sent', 'sent', 'sent', 'sent']);
    // Two messages, three subscriptions, each read (and its secrets decrypted) once.
    expect(reads).toEqual({ messages: 2, subscriptions: 3, secrets: 3 });
    expect(t.sent.map((r) => r.headers['webhook-signature'])).toHaveLength(4);
  });

  it('take a change of the subscription within SUBSCRIPTION_READ_MS', async () => {
    const t = setup([]);
    const second = newDelivery(
      { ...t.message, messageId: 'evt-2' },
      { subscriptionId: 'sub-1', appId: 'app-1', state: 'active' },
      T0,
    );
    t.deliveries.deliveries.set(second.deliveryId, second);
    t.deps.messages.messages.set('evt-2', { ...t.message, messageId: 'evt-2' });
    expect(await t.run()).toEqual({ result: 'sent' });
    const stored = t.subscriptions.subscriptions.get('sub-1')!;
    t.subscriptions.subscriptions.set('sub-1', { ...stored, state: 'paused', version: stored.version + 1 });
    t.advanceTo(T0 + SUBSCRIPTION_READ_MS);
    expect(await deliverWebhook(t.deps, second.deliveryId)).toEqual({ result: 'held' });
    expect(t.sent).toHaveLength(1);
  });

  it('drop a subscription whose health write lost to another writer, and read it again', async () => {
    const t = setup([503, 200, 200]);
    const later = ['evt-2', 'evt-3'].map((messageId) => {
      const d = newDelivery(
        { ...t.message, messageId },
        { subscriptionId: 'sub-1', appId: 'app-1', state: 'active' },
        T0,
      );
      t.deliveries.deliveries.set(d.deliveryId, d);
      t.deps.messages.messages.set(messageId, { ...t.message, messageId });
      return d.deliveryId;
    });
    expect(await t.run()).toMatchObject({ result: 'retry' });
    expect(t.subscriptions.subscriptions.get('sub-1')!.health).toEqual({ failingSince: T0 });
    // Another writer moves the subscription: this worker's copy is now stale.
    const stored = t.subscriptions.subscriptions.get('sub-1')!;
    t.subscriptions.subscriptions.set('sub-1', {
      ...stored,
      description: 'changed',
      version: stored.version + 1,
    });
    expect(await deliverWebhook(t.deps, later[0]!)).toEqual({ result: 'sent' });
    expect(t.subscriptions.subscriptions.get('sub-1')!.health).toEqual({ failingSince: T0 });
    expect(await deliverWebhook(t.deps, later[1]!)).toEqual({ result: 'sent' });
    expect(t.subscriptions.subscriptions.get('sub-1')).toMatchObject({ health: {}, description: 'changed' });
  });
});
