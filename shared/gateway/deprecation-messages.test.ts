import { describe, expect, it } from 'vitest';
import type { Subscription } from '../messages/ports.ts';
import {
  MemoryDeliveryStore,
  MemoryMessageStore,
  MemorySubscriptionStore,
} from '../messages/testing/memory-stores.ts';
import { DEPRECATED_CALL_DETAIL_TYPE } from './deprecated-calls.ts';
import { API_DEPRECATIONS_TOPIC, tellCaller } from './deprecation-messages.ts';

const T0 = Date.parse('2026-12-04T10:00:00.000Z');
const subscription = (id: string, appId: string): Subscription => ({
  subscriptionId: id,
  appId,
  topic: API_DEPRECATIONS_TOPIC,
  mode: 'pull',
  state: 'active',
  health: {},
  secrets: [],
  version: 1,
  createdAt: T0,
});
const called = (appId: string, at = '2026-12-04T10:00:00.000Z') => ({
  source: 'portico.gateway',
  'detail-type': DEPRECATED_CALL_DETAIL_TYPE,
  detail: { api: 'orders', version: '1', appId, deprecatedAt: '2026-12-01T00:00:00.000Z', at },
});

describe('telling a caller of a deprecated API', () => {
  it("delivers to the calling app's subscriptions alone, once however many gateways report it", async () => {
    const subscriptions = new MemorySubscriptionStore();
    await subscriptions.create(subscription('sub_caller', 'app_caller'));
    await subscriptions.create(subscription('sub_other', 'app_other'));
    const deliveries = new MemoryDeliveryStore();
    const messages = new MemoryMessageStore();
    const deps = { messages, subscriptions, deliveries, queue: { enqueue: async () => {} }, clock: () => T0 };

    const told = await tellCaller(deps, called('app_caller'));
    await tellCaller(deps, called('app_caller', '2026-12-04T10:05:00.000Z'));
    expect(told).toMatchObject({ topic: API_DEPRECATIONS_TOPIC, audience: 'app_caller' });
    expect([...deliveries.deliveries.values()].map((d) => d.subscriptionId)).toEqual(['sub_caller']);
    expect([...messages.messages.values()].map((m) => m.payload)).toEqual([
      {
        type: 'api.deprecated',
        api: 'orders',
        version: '1',
        deprecatedAt: '2026-12-01T00:00:00.000Z',
        calledAt: '2026-12-04T10:00:00.000Z',
      },
    ]);
    expect(await tellCaller(deps, { ...called('app_caller'), 'detail-type': 'Other' })).toBeUndefined();
  });
});
