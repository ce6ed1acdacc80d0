import { describe, expect, it } from 'vitest';
import type { Subscription } from '../messages/ports.ts';
import {
  MemoryDeliveryStore,
  MemoryMessageStore,
  MemorySubscriptionStore,
} from '../messages/testing/memory-stores.ts';
import { BREAKER_EVENT_DETAIL_TYPE, BREAKER_EVENT_SOURCE } from './circuit-breaker/events.ts';
import { MemoryApiRegistry } from './testing/memory-api-registry.ts';
import { tellProvider, UPSTREAM_ALERTS_TOPIC } from './upstream-alert-messages.ts';

const T0 = Date.parse('2026-12-04T10:00:00.000Z');
const subscription = (id: string, appId: string): Subscription => ({
  subscriptionId: id,
  appId,
  topic: UPSTREAM_ALERTS_TOPIC,
  mode: 'pull',
  state: 'active',
  health: {},
  secrets: [],
  version: 1,
  createdAt: T0,
});
const opened = (api: string, episode = 'i1-1') => ({
  source: BREAKER_EVENT_SOURCE,
  'detail-type': BREAKER_EVENT_DETAIL_TYPE,
  detail: {
    api,
    upstream: 'https://orders.internal:8443/v1',
    from: 'closed',
    to: 'open',
    reason: 'consecutive-failures',
    at: new Date(T0).toISOString(),
    episode,
    version: 2,
    metrics: {},
  },
});

async function setup() {
  const registry = new MemoryApiRegistry();
  const definition = {
    version: '1',
    upstreams: [{ url: 'https://orders.internal:8443/v1' }],
    timeoutMs: 1000,
  };
  await registry.put({
    name: 'orders',
    ...definition,
    authModes: ['token'],
    requiredScopes: [],
    providerApp: 'app_orders',
  });
  await registry.put({ name: 'billing', ...definition, authModes: ['token'], requiredScopes: [] });
  const subscriptions = new MemorySubscriptionStore();
  await subscriptions.create(subscription('sub_provider', 'app_orders'));
  await subscriptions.create(subscription('sub_other', 'app_someone_else'));
  const deliveries = new MemoryDeliveryStore();
  const messages = new MemoryMessageStore();
  const deps = {
    registry,
    messages,
    subscriptions,
    deliveries,
    queue: { enqueue: async () => {} },
    clock: () => T0,
  };
  const deliveredTo = () => [...deliveries.deliveries.values()].map((d) => d.subscriptionId);
  return { deps, messages, deliveredTo };
}

describe('telling an API provider', () => {
  it("delivers a breaker alert to the provider app's subscriptions alone, once however often it is told", async () => {
    const { deps, messages, deliveredTo } = await setup();
    const first = await tellProvider(deps, opened('orders'));
    expect(first).toMatchObject({ told: { topic: UPSTREAM_ALERTS_TOPIC, audience: 'app_orders' } });
    await tellProvider(deps, opened('orders'));
    expect(deliveredTo()).toEqual(['sub_provider']);
    expect([...messages.messages.values()].map((m) => m.payload)).toEqual([
      {
        type: 'breaker.opened',
        api: 'orders',
        server: 'https://orders.internal:8443',
        at: '2026-12-04T10:00:00.000Z',
        reason: 'consecutive-failures',
      },
    ]);
    await tellProvider(deps, opened('orders', 'i1-2'));
    expect(deliveredTo()).toEqual(['sub_provider', 'sub_provider']);
  });

  it('tells nobody about an API without a provider app, an unknown API, or an event that is no alert', async () => {
    const { deps, deliveredTo } = await setup();
    expect(await tellProvider(deps, opened('billing'))).toEqual({ ignored: 'no-provider', api: 'billing' });
    expect(await tellProvider(deps, opened('gone'))).toEqual({ ignored: 'no-provider', api: 'gone' });
    expect(await tellProvider(deps, { ...opened('orders'), source: 'biz.orders' })).toEqual({
      ignored: 'not-an-alert',
    });
    expect(deliveredTo()).toEqual([]);
  });
});
