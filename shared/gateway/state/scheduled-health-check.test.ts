import { describe, expect, it } from 'vitest';
import type { ApiDefinition } from '../api-definition.ts';
import type { GatewayEventEntry } from '../circuit-breaker/events.ts';
import type { GatewayEventSink, Probe } from '../ports.ts';
import { MemoryStateStore } from '../testing/memory-state-store.ts';
import {
  announceThrough,
  poolsForDefinitions,
  runScheduledHealthCheck,
  sandboxPoolKey,
} from './scheduled-health-check.ts';

const NOW = 1_700_000_000_000;

const api = (name: string, urls: string[], sandbox?: string): ApiDefinition => ({
  name,
  version: '1',
  upstreams: urls.map((url) => ({ url, weight: 3 })),
  ...(sandbox ? { sandboxUpstream: { url: sandbox } } : {}),
  timeoutMs: 1_000,
  authModes: ['token'],
  requiredScopes: [],
});

const APIS = [
  api(
    'orders',
    ['https://a.internal/v1', 'https://b.internal/v1', 'https://a.internal/v1'],
    'https://sandbox.internal',
  ),
  api('billing', ['https://b.internal/v1']),
];

function probeOf(down: Set<string>): Probe & { probed: string[] } {
  const probed: string[] = [];
  const probe = async (url: string) => {
    probed.push(url);
    return { ok: !down.has(url), latencyMs: 3 };
  };
  return Object.assign(probe, { probed });
}

describe('poolsForDefinitions', () => {
  it('makes one pool per API and per sandbox upstream, each URL once', () => {
    const pools = poolsForDefinitions(APIS);
    expect(Object.fromEntries([...pools.entries()].map(([key, pool]) => [key, pool.urls]))).toEqual({
      orders: ['https://a.internal/v1', 'https://b.internal/v1'],
      [sandboxPoolKey('orders')]: ['https://sandbox.internal'],
      billing: ['https://b.internal/v1'],
    });
  });
});

describe('runScheduledHealthCheck', () => {
  it('probes every distinct upstream, stores the results, and next time only what is due', async () => {
    const store = new MemoryStateStore(() => NOW);
    const registry = { list: async () => APIS.map((a) => ({ ...a, revision: 1, updatedAt: '' })) };
    const probe = probeOf(new Set(['https://sandbox.internal']));

    const first = await runScheduledHealthCheck({ registry, store, probe }, NOW);
    expect(first).toEqual({
      apis: 2,
      urls: 3,
      probed: 3,
      failed: 1,
      failing: ['https://sandbox.internal'],
      changes: [expect.objectContaining({ url: 'https://sandbox.internal' })],
      unannounced: 0,
    });
    expect(probe.probed.sort()).toEqual([
      'https://a.internal/v1',
      'https://b.internal/v1',
      'https://sandbox.internal',
    ]);
    expect((await store.readHealth()).map((r) => [r.url, r.ok, r.checkedAt]).sort()).toEqual([
      ['https://a.internal/v1', true, NOW],
      ['https://b.internal/v1', true, NOW],
      ['https://sandbox.internal', false, NOW],
    ]);

    // A minute later: the failing server is probed again; the healthy ones, checked 10 s ago, are not.
    probe.probed.length = 0;
    const second = await runScheduledHealthCheck({ registry, store, probe }, NOW + 10_000);
    expect(probe.probed).toEqual(['https://sandbox.internal']);
    expect(second).toMatchObject({ probed: 1, failed: 1 });
    expect((await store.readHealth()).find((r) => r.url === 'https://sandbox.internal')!.checkedAt).toBe(
      NOW + 10_000,
    );
  });

  it('keeps a stored result over an older one from a slower, overlapping run', async () => {
    const store = new MemoryStateStore(() => NOW);
    await store.writeHealth([{ url: 'https://a.internal', ok: true, latencyMs: 1, checkedAt: NOW }]);
    await store.writeHealth([
      { url: 'https://a.internal', ok: false, latencyMs: 1, checkedAt: NOW - 60_000 },
    ]);
    expect(await store.readHealth()).toEqual([
      { url: 'https://a.internal', ok: true, latencyMs: 1, checkedAt: NOW },
    ]);
  });

  it('writes nothing when there is nothing to probe', async () => {
    const store = new MemoryStateStore(() => NOW);
    const summary = await runScheduledHealthCheck(
      { registry: { list: async () => [] }, store, probe: probeOf(new Set()) },
      NOW,
    );
    expect(summary).toEqual({
      apis: 0,
      urls: 0,
      probed: 0,
      failed: 0,
      failing: [],
      changes: [],
      unannounced: 0,
    });
    expect(store.calls.writeHealth).toBe(0);
  });
});

describe('announcing changed verdicts', () => {
  const registry = { list: async () => APIS.map((a) => ({ ...a, revision: 1, updatedAt: '' })) };

  /** A bus that refuses the entries about `refused` servers (or every call, when `down`). */
  function bus(refused: string[] = [], down = false) {
    const accepted: GatewayEventEntry[] = [];
    const sink: GatewayEventSink = {
      put: async (entries) => {
        if (down) throw new Error('bus unavailable');
        const failed = entries.flatMap((entry, i) =>
          refused.some((r) => entry.Detail.includes(r)) ? [i] : [],
        );
        accepted.push(...entries.filter((_, i) => !failed.includes(i)));
        return { failed };
      },
    };
    return { sink, accepted, details: () => accepted.map((e) => JSON.parse(e.Detail)) };
  }

  it('puts one event per API holding a server whose verdict changed, and none when it stays', async () => {
    const store = new MemoryStateStore(() => NOW);
    const down = new Set(['https://b.internal/v1']);
    const events = bus();
    const announce = announceThrough(events.sink, 'portico');
    await runScheduledHealthCheck({ registry, store, probe: probeOf(down), announce }, NOW);
    expect(
      events
        .details()
        .map((d) => [d.api, d.server, d.healthy])
        .sort(),
    ).toEqual([
      ['billing', 'https://b.internal', false],
      ['orders', 'https://b.internal', false],
    ]);
    await runScheduledHealthCheck({ registry, store, probe: probeOf(down), announce }, NOW + 60_000);
    expect(events.accepted).toHaveLength(2);
    down.clear();
    await runScheduledHealthCheck({ registry, store, probe: probeOf(down), announce }, NOW + 120_000);
    expect(
      events
        .details()
        .slice(2)
        .map((d) => [d.api, d.healthy])
        .sort(),
    ).toEqual([
      ['billing', true],
      ['orders', true],
    ]);
  });

  it('keeps back the result of a change the bus refused, so the next run tells it again', async () => {
    const store = new MemoryStateStore(() => NOW);
    const down = new Set(['https://a.internal/v1', 'https://b.internal/v1']);
    const refusing = bus(['a.internal']);
    const first = await runScheduledHealthCheck(
      { registry, store, probe: probeOf(down), announce: announceThrough(refusing.sink) },
      NOW,
    );
    expect(first.unannounced).toBe(1);
    expect((await store.readHealth()).map((r) => r.url).sort()).toEqual([
      'https://b.internal/v1',
      'https://sandbox.internal',
    ]);

    const working = bus();
    const second = await runScheduledHealthCheck(
      { registry, store, probe: probeOf(down), announce: announceThrough(working.sink) },
      NOW + 60_000,
    );
    expect(second.unannounced).toBe(0);
    expect(working.details().map((d) => [d.api, d.server, d.healthy])).toEqual([
      ['orders', 'https://a.internal', false],
    ]);
  });

  it('stores nothing of a changed server when the bus is down, and still stores the rest', async () => {
    const store = new MemoryStateStore(() => NOW);
    const summary = await runScheduledHealthCheck(
      {
        registry,
        store,
        probe: probeOf(new Set(['https://sandbox.internal'])),
        announce: announceThrough(bus([], true).sink),
      },
      NOW,
    );
    expect(summary.unannounced).toBe(1);
    expect((await store.readHealth()).map((r) => r.url).sort()).toEqual([
      'https://a.internal/v1',
      'https://b.internal/v1',
    ]);
  });
});
