import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoStateStore } from '../shared/gateway/adapters/dynamo-state-store.ts';
import { EventBridgePublisher } from '../shared/gateway/adapters/eventbridge-publisher.ts';
import type { BreakerSnapshot } from '../shared/gateway/circuit-breaker/breaker.ts';
import { breakerEventEntry } from '../shared/gateway/circuit-breaker/events.ts';
import { BreakerRegistry } from '../shared/gateway/circuit-breaker/registry.ts';
import { GatewayStateSync } from '../shared/gateway/state/state-sync.ts';
import { breakerSnapshot } from '../shared/gateway/testing/breaker-snapshot.fixture.ts';
import { UpstreamPools } from '../shared/gateway/upstreams/balancer.ts';
import { aws } from './support/platform.ts';
import { useTable } from './support/tables.ts';

/** The gateway state store against the local DynamoDB emulator, in a table of its own. */
const table = useTable('gs');
const T0 = Date.UTC(2030, 0, 1);

const snapshot = (version: number, overrides: Partial<BreakerSnapshot> = {}) =>
  breakerSnapshot(version, T0, overrides);

/** A store on its own clock, as one gateway instance would have. */
function storeAt(clock: { t: number }, maxRecords?: number) {
  return new DynamoStateStore(aws().document, table, {
    now: () => clock.t,
    ...(maxRecords ? { maxRecords } : {}),
  });
}

const items = async (pk: string) =>
  (
    await aws().document.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
      }),
    )
  ).Items ?? [];

describe('DynamoStateStore: breaker records', () => {
  it('writes a snapshot only over an absent or lower version, and reads them all in one query', async () => {
    const clock = { t: T0 };
    const store = storeAt(clock);
    expect(await store.writeBreaker('orders', snapshot(3))).toBe(true);
    expect(await store.writeBreaker('orders', snapshot(2))).toBe(false);
    expect(await store.writeBreaker('orders', snapshot(3, { state: 'closed' }))).toBe(false);
    expect(await store.writeBreaker('orders', snapshot(4, { state: 'half-open' }))).toBe(true);
    expect(await store.writeBreaker('orders#https://a.example', snapshot(1))).toBe(true);

    const before = store.requests;
    const read = await store.readBreakers();
    expect(store.requests - before).toBe(1);
    expect(read.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: 'orders', snapshot: snapshot(4, { state: 'half-open' }) },
      { key: 'orders#https://a.example', snapshot: snapshot(1) },
    ]);
    expect((await items('BREAKERS')).find((i) => i.sk === 'orders')).toMatchObject({
      key: 'orders',
      version: 4,
      expiresAt: Math.floor(T0 / 1000) + 3_600,
    });
  });

  it('ignores records past their expiry on read, and lets any version replace them', async () => {
    const clock = { t: T0 };
    const store = storeAt(clock);
    expect(await store.writeBreaker('expiring', snapshot(9))).toBe(true);
    clock.t = T0 + 3_600_000 - 1_000;
    expect((await store.readBreakers()).map((r) => r.key)).toContain('expiring');
    clock.t = T0 + 3_600_000;
    expect((await store.readBreakers()).map((r) => r.key)).not.toContain('expiring');
    // The emulator keeps the item (it never runs TTL), but it no longer blocks a lower version.
    expect((await items('BREAKERS')).some((i) => i.sk === 'expiring')).toBe(true);
    expect(await store.writeBreaker('expiring', snapshot(1))).toBe(true);
    expect((await store.readBreakers()).find((r) => r.key === 'expiring')?.snapshot).toEqual(snapshot(1));
  });

  it('stores keys too long for a sort key under their hash, and reads them back whole', async () => {
    const store = storeAt({ t: T0 });
    const key = `orders#https://a.example/${'p'.repeat(1_500)}`;
    expect(await store.writeBreaker(key, snapshot(1))).toBe(true);
    expect(await store.writeBreaker(key, snapshot(1))).toBe(false);
    expect((await store.readBreakers()).find((r) => r.key === key)?.snapshot).toEqual(snapshot(1));
    expect((await items('BREAKERS')).find((i) => i.key === key)?.sk).toMatch(/^#sha256:[0-9a-f]{64}$/);
  });

  it('reads at most maxRecords items', async () => {
    const clock = { t: T0 };
    const writer = storeAt(clock);
    for (let i = 0; i < 6; i++) await writer.writeBreaker(`capped-${i}`, snapshot(1));
    const capped = storeAt(clock, 4);
    expect(await capped.readBreakers()).toHaveLength(4);
    expect((await storeAt(clock).readBreakers()).length).toBeGreaterThanOrEqual(6);
  });
});

describe('DynamoStateStore: health results', () => {
  it('keeps the latest result per URL for 10 minutes; an older result never replaces a newer one', async () => {
    const clock = { t: T0 };
    const store = storeAt(clock);
    const long = `https://b.example/${'x'.repeat(1_100)}`;
    await store.writeHealth([
      { url: 'https://a.example', ok: true, latencyMs: 4, checkedAt: T0 },
      { url: long, ok: false, latencyMs: 2_000, checkedAt: T0, error: 'timeout' },
    ]);
    await store.writeHealth([{ url: 'https://a.example', ok: false, latencyMs: 4, checkedAt: T0 - 60_000 }]);
    const read = await store.readHealth();
    expect(read.sort((a, b) => a.url.length - b.url.length)).toEqual([
      { url: 'https://a.example', ok: true, latencyMs: 4, checkedAt: T0 },
      { url: long, ok: false, latencyMs: 2_000, checkedAt: T0, error: 'timeout' },
    ]);

    clock.t = T0 + 30_000;
    await store.writeHealth([{ url: 'https://a.example', ok: false, latencyMs: 7, checkedAt: T0 + 30_000 }]);
    expect((await store.readHealth()).find((r) => r.url === 'https://a.example')?.ok).toBe(false);

    clock.t = T0 + 30_000 + 600_000;
    expect(await store.readHealth()).toEqual([]);
  });

  it('skips stored items that are not health results', async () => {
    const store = storeAt({ t: T0 });
    await aws().document.send(
      new PutCommand({
        TableName: table,
        Item: { pk: 'HEALTH', sk: 'junk', result: { url: 3 }, expiresAt: Math.floor(T0 / 1000) + 60 },
      }),
    );
    expect((await store.readHealth()).map((r) => r.url)).not.toContain(3);
  });
});

describe('GatewayStateSync over DynamoDB', () => {
  it('brings a second instance into the first one’s open episode, and its pools the stored verdicts', async () => {
    // A day on: every record the tests above wrote has expired.
    const clock = { t: T0 + 86_400_000 };
    const settings = { consecutiveFailures: 2 };
    const instance = (id: string) => {
      const breakers = new BreakerRegistry({ instanceId: id, defaults: settings });
      const pools = new UpstreamPools({ random: () => 0 });
      const errors: unknown[] = [];
      const sync = new GatewayStateSync({
        store: storeAt(clock),
        breakers,
        pools,
        now: () => clock.t,
        onError: (e) => errors.push(e),
      });
      return { breakers, pools, sync, errors };
    };
    const a = instance('a');
    const b = instance('b');
    const breaker = a.breakers.get('sync-api');
    for (let i = 0; i < 2; i++) {
      const permit = breaker.tryAcquire(clock.t);
      if (permit.permitted) permit.permit.failure(clock.t);
    }
    const pool = b.pools.get('sync-api', [{ url: 'https://down.example' }, { url: 'https://up.example' }]);
    await storeAt(clock).writeHealth([
      { url: 'https://down.example', ok: false, latencyMs: 2_000, checkedAt: clock.t, error: 'timeout' },
    ]);

    await a.sync.syncNow();
    await b.sync.syncNow();
    expect(b.breakers.peek('sync-api')?.snapshot(clock.t)).toMatchObject({
      state: 'open',
      episode: breaker.snapshot(clock.t).episode,
    });
    expect(pool.state('https://down.example', clock.t)).toBe('ejected');
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    expect(a.sync.stats).toMatchObject({ reads: 2, writes: 1, refusedWrites: 0 });
    expect(b.sync.stats).toMatchObject({ reads: 2, writes: 0, adopted: 1, healthApplied: 1 });
  });
});

describe('EventBridgePublisher', () => {
  it('publishes breaker events to the portico bus', async () => {
    const entries: ReturnType<typeof breakerEventEntry>[] = [];
    const breaker = new BreakerRegistry({
      defaults: { consecutiveFailures: 1 },
      onTransition: (key, event) => entries.push(breakerEventEntry(key, event)),
    }).get('events-api');
    const permit = breaker.tryAcquire(Date.now());
    if (permit.permitted) permit.permit.failure(Date.now());
    expect(entries).toHaveLength(1);
    expect(await new EventBridgePublisher(aws().events, 'portico').put(entries)).toEqual({ failed: [] });
  });
});
