import { describe, expect, it } from 'vitest';
import { EgressGuard } from '../egress/guard.ts';
import { DEFAULT_EGRESS_POLICY, parseEgressAllowList } from '../egress/policy.ts';
import { FakeResolver } from '../egress/testing/fake-resolver.ts';
import { FakeCipher } from '../identity/testing/memory-stores.ts';
import { createSubscription, liveWebhookSecrets, webhookSecretContext } from './create-subscription.ts';
import { MemorySubscriptionStore } from './testing/memory-stores.ts';
import type { Topic } from './topic.ts';

const topic: Topic = {
  name: 'orders.created',
  description: 'An order was placed.',
  owner: 'orders-team',
  scope: 'orders:events',
  payloadSchema: { type: 'object' },
  example: {},
  retentionDays: 30,
};
const caller = { appId: 'app-1', scopes: ['orders:events'] };
const NOW = new Date('2030-01-01T00:00:00Z');

function setup(allow = '') {
  const subscriptions = new MemorySubscriptionStore();
  const cipher = new FakeCipher();
  const resolver = new FakeResolver({ 'hooks.example': ['93.184.216.34'], 'inside.example': ['10.1.2.3'] });
  const deps = {
    topics: { get: async (name: string) => (name === topic.name ? topic : undefined) },
    subscriptions,
    cipher,
    egress: new EgressGuard(allow ? parseEgressAllowList(allow) : DEFAULT_EGRESS_POLICY, resolver),
  };
  const create = (body: unknown, who = caller) => createSubscription(deps, who, body, NOW);
  const refusal = (body: unknown, who = caller) =>
    create(body, who).then(
      () => 'accepted',
      (e) => `${e.code}${e.details?.errors ? ` ${e.details.errors[0].pointer}` : ''}`,
    );
  return { deps, subscriptions, cipher, create, refusal };
}

describe('creating a subscription', () => {
  it('stores a webhook subscription with an encrypted secret and returns the secret once', async () => {
    const t = setup();
    const { subscription, secret } = await t.create({
      topic: 'orders.created',
      mode: 'webhook',
      url: 'https://hooks.example/portico',
      filter: { region: 'eu' },
      retrySchedule: [0, 10, 60],
    });
    expect(secret).toMatch(/^whsec_/);
    expect(subscription).toMatchObject({
      appId: 'app-1',
      topic: 'orders.created',
      state: 'active',
      version: 1,
    });
    expect(subscription.subscriptionId).toMatch(/^sub_/);
    const stored = (await t.subscriptions.get(subscription.subscriptionId))!;
    expect(JSON.stringify(stored)).not.toContain(secret!);
    expect(await liveWebhookSecrets(t.cipher)(stored)).toEqual([secret]);
    await expect(
      t.cipher.decrypt(stored.secrets[0]!.ciphertext, { ...webhookSecretContext(stored), appId: 'app-2' }),
    ).rejects.toThrow();
  });

  it('keeps no secret for pull and websocket subscriptions', async () => {
    const t = setup();
    const { subscription, secret } = await t.create({ topic: 'orders.created', mode: 'pull' });
    expect(secret).toBeUndefined();
    expect(subscription.secrets).toEqual([]);
  });

  it('refuses bad input, unknown topics, missing scopes and every URL the egress policy refuses, storing nothing', async () => {
    const t = setup();
    const cases: [unknown, string][] = [
      [{ topic: 'orders.created' }, 'validation-failed /mode'],
      [{ topic: 'nope.nope', mode: 'pull' }, 'validation-failed /topic'],
      [{ topic: 'orders.created', mode: 'fax' }, 'validation-failed /mode'],
      [{ topic: 'orders.created', mode: 'webhook' }, 'validation-failed /url'],
      [{ topic: 'orders.created', mode: 'pull', url: 'https://hooks.example/' }, 'validation-failed /url'],
      [{ topic: 'orders.created', mode: 'webhook', url: 'http://hooks.example/' }, 'validation-failed /url'],
      [
        { topic: 'orders.created', mode: 'webhook', url: 'https://169.254.169.254/' },
        'validation-failed /url',
      ],
      [
        { topic: 'orders.created', mode: 'webhook', url: 'https://inside.example/' },
        'validation-failed /url',
      ],
      [
        { topic: 'orders.created', mode: 'webhook', url: 'https://u:p@hooks.example/' },
        'validation-failed /url',
      ],
      [{ topic: 'orders.created', mode: 'webhook', url: 'http://127.0.0.1:9/' }, 'validation-failed /url'],
      [{ topic: 'orders.created', mode: 'webhook', url: 'not a url' }, 'validation-failed /url'],
      [{ topic: 'orders.created', mode: 'pull', filter: { a: { $gt: 1 } } }, 'validation-failed /filter/a'],
      [{ topic: 'orders.created', mode: 'pull', retrySchedule: [-1] }, 'validation-failed /retrySchedule'],
      [{ topic: 'orders.created', mode: 'pull', extra: 1 }, 'validation-failed /extra'],
    ];
    for (const [body, expected] of cases) expect(await t.refusal(body), JSON.stringify(body)).toBe(expected);
    expect(
      await t.refusal({ topic: 'orders.created', mode: 'pull' }, { appId: 'app-2', scopes: ['echo:read'] }),
    ).toBe('forbidden');
    expect(t.subscriptions.subscriptions.size).toBe(0);
  });

  it('accepts plain HTTP to loopback only where the egress policy allows loopback (locally)', async () => {
    const local = setup('loopback');
    expect(
      await local.refusal({ topic: 'orders.created', mode: 'webhook', url: 'http://127.0.0.1:9/hook' }),
    ).toBe('accepted');
    expect(
      await local.refusal({ topic: 'orders.created', mode: 'webhook', url: 'http://hooks.example/' }),
    ).toBe('validation-failed /url');
  });
});
