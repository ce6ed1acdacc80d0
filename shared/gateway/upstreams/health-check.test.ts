import { describe, expect, it } from 'vitest';
import type { HealthResult, Probe } from '../ports.ts';
import { UpstreamPool } from './balancer.ts';
import { applyHealthResults, planHealthChecks, runHealthChecks } from './health-check.ts';

const NOW = 10_000_000;
const url = (name: string) => `https://${name}.internal`;

function pool(names: string[]) {
  return new UpstreamPool(
    names.map((n) => ({ url: url(n) })),
    { random: () => 0, clock: () => NOW },
  );
}

const result = (name: string, ok: boolean, checkedAt: number): HealthResult => ({
  url: url(name),
  ok,
  latencyMs: 5,
  checkedAt,
});

describe('planHealthChecks', () => {
  it('puts ejected servers first, then suspects, then healthy ones due, oldest check first', () => {
    const orders = pool(['a', 'b', 'c', 'd']);
    const billing = pool(['e', 'f', 'g']);
    orders.markUnhealthy(url('b'), NOW - 1_000); // ejected
    billing.markUnhealthy(url('f'), NOW - 40_000); // ejection over: probation
    const last = [
      result('b', false, NOW - 1_000),
      result('a', true, NOW - 10_000), // fresh: not due
      result('c', true, NOW - 70_000), // due
      result('d', true, NOW - 55_000), // due, more recent than c
      result('e', false, NOW - 20_000), // failed last time, though the pool has not seen it
      result('f', false, NOW - 40_000),
      // g never checked
    ];
    expect(planHealthChecks([orders, billing], last, NOW)).toEqual([
      url('b'),
      url('f'),
      url('e'),
      url('g'),
      url('c'),
      url('d'),
    ]);
  });

  it('bounds the number of probes, keeping the most urgent', () => {
    const big = pool(Array.from({ length: 20 }, (_, i) => `s${String(i).padStart(2, '0')}`));
    big.markUnhealthy(url('s17'), NOW);
    big.markUnhealthy(url('s03'), NOW - 5);
    const plan = planHealthChecks([big], [], NOW, { maxProbes: 4 });
    expect(plan).toEqual([url('s03'), url('s17'), url('s00'), url('s01')]);
    expect(planHealthChecks([big], [], NOW)).toHaveLength(20);
    expect(planHealthChecks([big], [], NOW, { maxProbes: 0 })).toEqual([]);
  });

  it('probes a URL shared by several pools once, at the rank of its worst state', () => {
    const a = pool(['shared', 'x']);
    const b = pool(['shared']);
    b.markUnhealthy(url('shared'), NOW);
    const last = [result('x', true, NOW - 1), result('shared', true, NOW - 1)];
    expect(planHealthChecks([a, b], last, NOW)).toEqual([url('shared')]);
  });

  it('uses the latest of several stored results per URL and the configured interval', () => {
    const p = pool(['a']);
    const last = [result('a', false, NOW - 90_000), result('a', true, NOW - 30_000)];
    expect(planHealthChecks([p], last, NOW)).toEqual([]);
    expect(planHealthChecks([p], last, NOW, { intervalMs: 30_000 })).toEqual([url('a')]);
  });
});

describe('applyHealthResults', () => {
  it('returns an ejected server after a passing check, ejects on a failing one, and ignores repeats', () => {
    const p = pool(['a', 'b']);
    const q = pool(['a']);
    p.markUnhealthy(url('a'), NOW - 10);
    const results = [result('a', true, NOW), result('b', false, NOW)];
    expect(applyHealthResults([p, q], results)).toBe(3);
    expect(p.state(url('a'), NOW)).toBe('healthy');
    expect(p.state(url('b'), NOW)).toBe('ejected');
    expect(applyHealthResults([p, q], results)).toBe(0);
  });

  it('never lets an older passing result cancel a newer passive ejection', () => {
    const p = new UpstreamPool([{ url: url('a') }, { url: url('b') }], {
      random: () => 0,
      consecutiveFailures: 1,
      clock: () => NOW,
    });
    p.pick(NOW)!.failure('connect'); // a ejected at NOW
    expect(applyHealthResults([p], [result('a', true, NOW - 1)])).toBe(0);
    expect(p.state(url('a'), NOW)).toBe('ejected');
  });
});

describe('runHealthChecks', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('runs at most `concurrency` probes at once and returns results in plan order', async () => {
    const p = pool(Array.from({ length: 12 }, (_, i) => `s${String(i).padStart(2, '0')}`));
    let active = 0;
    let peak = 0;
    const probe: Probe = async (target) => {
      active++;
      peak = Math.max(peak, active);
      await sleep(1 + (target.charCodeAt(10) % 3));
      active--;
      return { ok: true, latencyMs: 7 };
    };
    const run = await runHealthChecks([p], probe, NOW, { concurrency: 3, timeoutMs: 1_000 });
    expect(peak).toBe(3);
    expect(run.planned).toHaveLength(12);
    expect(run.results.map((r) => r.url)).toEqual(run.planned);
    expect(run.results.every((r) => r.ok && r.latencyMs === 7 && r.checkedAt === NOW)).toBe(true);
    expect(run.applied).toBe(12);
  });

  it('fails a probe that exceeds its timeout, aborts its signal, and fails one that throws', async () => {
    const p = pool(['slow', 'broken', 'fine', 'down']);
    const signals = new Map<string, AbortSignal>();
    const probe: Probe = async (target, signal) => {
      signals.set(target, signal);
      if (target === url('slow')) return new Promise(() => {});
      if (target === url('broken')) throw new Error('ECONNREFUSED');
      if (target === url('down')) return { ok: false, latencyMs: 3 };
      return { ok: true, latencyMs: 2 };
    };
    let t = 0;
    const run = await runHealthChecks([p], probe, NOW, {
      concurrency: 1,
      timeoutMs: 20,
      clock: () => (t += 4),
    });
    const byUrl = Object.fromEntries(run.results.map((r) => [r.url, r]));
    expect(byUrl[url('slow')]).toEqual({
      url: url('slow'),
      ok: false,
      latencyMs: 20,
      checkedAt: NOW,
      error: 'timeout',
    });
    expect(signals.get(url('slow'))!.aborted).toBe(true);
    expect(byUrl[url('broken')]).toMatchObject({ ok: false, error: 'probe-error', latencyMs: 4 });
    expect(byUrl[url('down')]).toEqual({ url: url('down'), ok: false, latencyMs: 3, checkedAt: NOW });
    expect(byUrl[url('fine')]).toMatchObject({ ok: true });
    expect(signals.get(url('fine'))!.aborted).toBe(false);
    expect(p.state(url('slow'), NOW)).toBe('ejected');
    expect(p.state(url('fine'), NOW)).toBe('healthy');
  });

  it('brings an ejected server back when its check passes, probing ejected servers first', async () => {
    const p = pool(['a', 'b', 'c']);
    p.markUnhealthy(url('c'), NOW - 100);
    const order: string[] = [];
    const run = await runHealthChecks(
      [p],
      async (target) => {
        order.push(target);
        return { ok: true, latencyMs: 1 };
      },
      NOW,
      { concurrency: 1, maxProbes: 2, lastResults: [result('c', false, NOW - 100)] },
    );
    expect(order).toEqual([url('c'), url('a')]);
    expect(run.planned).toEqual(order);
    expect(p.state(url('c'), NOW)).toBe('healthy');
  });

  it('does nothing when nothing is due, and refuses a bad configuration', async () => {
    const p = pool(['a']);
    const run = await runHealthChecks([p], async () => ({ ok: true, latencyMs: 1 }), NOW, {
      lastResults: [result('a', true, NOW - 1)],
    });
    expect(run).toEqual({ planned: [], results: [], applied: 0 });
    await expect(
      runHealthChecks([p], async () => ({ ok: true, latencyMs: 1 }), NOW, { concurrency: 0 }),
    ).rejects.toThrow(RangeError);
    await expect(
      runHealthChecks([p], async () => ({ ok: true, latencyMs: 1 }), NOW, { timeoutMs: 0 }),
    ).rejects.toThrow(RangeError);
  });
});
