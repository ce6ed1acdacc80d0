import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deliveryIdFor } from './delivery.ts';
import { fanOut, type SubscriptionTarget } from './fan-out.ts';

const T0 = 1_796_000_000_000;
const message = { messageId: 'evt-1', topic: 'orders.created', payload: { status: 'paid', region: 'eu' } };
const sub = (id: string, over: Partial<SubscriptionTarget> = {}): SubscriptionTarget => ({
  subscriptionId: id,
  appId: `app-${id}`,
  topic: 'orders.created',
  state: 'active',
  ...over,
});

describe('fan-out', () => {
  it('gives every matching subscription one delivery, held for paused and disabled ones', () => {
    const deliveries = fanOut(
      message,
      [
        sub('a'),
        sub('b', { filter: { region: 'us' } }),
        sub('c', { filter: { status: ['paid', 'refunded'] } }),
        sub('d', { topic: 'orders.shipped' }),
        sub('e', { state: 'paused' }),
        sub('f', { state: 'disabled' }),
        sub('a'),
      ],
      T0,
    );
    expect(deliveries.map((d) => [d.subscriptionId, d.status])).toEqual([
      ['a', 'Queued'],
      ['c', 'Queued'],
      ['e', 'Paused'],
      ['f', 'Paused'],
    ]);
    expect(deliveries[0]).toMatchObject({
      messageId: 'evt-1',
      appId: 'app-a',
      topic: 'orders.created',
      dueAt: T0,
    });
  });

  it('yields the same delivery ids when it runs again (a retried fan-out stores nothing twice)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 20 }), (ids) => {
        const subs = ids.map((id) => sub(id));
        const first = fanOut(message, subs, T0).map((d) => d.deliveryId);
        const again = fanOut(message, [...subs].reverse(), T0 + 5_000).map((d) => d.deliveryId);
        expect(new Set(again)).toEqual(new Set(first));
        expect(first).toEqual(ids.map((id) => deliveryIdFor('evt-1', id)));
      }),
    );
  });
});
