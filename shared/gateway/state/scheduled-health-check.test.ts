import { describe, expect, it } from 'vitest';
import type { ApiDefinition } from '../api-definition.ts';
import type { Probe } from '../ports.ts';
import { MemoryStateStore } from '../testing/memory-state-store.ts';
import { poolsForDefinitions, runScheduledHealthCheck, sandboxPoolKey } from './scheduled-health-check.ts';

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
    expect(summary).toEqual({ apis: 0, urls: 0, probed: 0, failed: 0, failing: [] });
    expect(store.calls.writeHealth).toBe(0);
  });
});
