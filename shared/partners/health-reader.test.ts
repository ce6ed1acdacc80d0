import { describe, expect, it } from 'vitest';
import { INITIAL_HEALTH } from './health-machine.ts';
import { PartnerHealthReader } from './health-reader.ts';
import { DEFAULT_HEALTH_POLICY } from './partner.ts';
import type { PartnerSnapshot } from './partner-health.ts';

const snapshot = (
  partnerId: string,
  readAt: number,
  over: Partial<PartnerSnapshot> = {},
): PartnerSnapshot => ({
  partnerId,
  automatic: INITIAL_HEALTH,
  policy: DEFAULT_HEALTH_POLICY,
  notices: [],
  switches: { partnerNotices: true },
  readAt,
  ...over,
});
const never = () => new Promise<never>(() => {});

describe('the partner health reader', () => {
  it('answers from the store, then from memory until the snapshot is due again', async () => {
    let now = 1_000_000;
    let reads = 0;
    const reader = new PartnerHealthReader(
      async (id) => {
        reads++;
        return snapshot(id, now);
      },
      undefined,
      () => now,
    );
    expect(await reader.health('p')).toMatchObject({ healthy: true, degraded: false });
    now += 1_000;
    await reader.health('p');
    expect(reads).toBe(1);
    now += 1_500;
    await reader.health('p');
    expect(reads).toBe(2);
  });

  it('answers the default within the deadline when the store hangs, flagged degraded', async () => {
    const reader = new PartnerHealthReader(never);
    const started = performance.now();
    const answer = await reader.health('p');
    expect(performance.now() - started).toBeLessThan(200);
    expect(answer).toMatchObject({ healthy: true, phase: 'unknown', degraded: true });
  });

  it('makes only the first caller of a hung read wait: the ones after it are answered at once', async () => {
    let reads = 0;
    const reader = new PartnerHealthReader(() => {
      reads++;
      return never();
    });
    await reader.health('p');
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 20 }, () => reader.health('p')));
    expect(performance.now() - started).toBeLessThan(25);
    expect(answers.every((a) => a?.degraded && a.phase === 'unknown')).toBe(true);
    expect(reads).toBe(1);
  });

  it('answers the last known state, flagged degraded, once the store fails for longer than staleAfter', async () => {
    let now = 1_000_000;
    let down = false;
    const reader = new PartnerHealthReader(
      async (id) => {
        if (down) throw new Error('store down');
        return snapshot(id, now, { automatic: { ...INITIAL_HEALTH, phase: 'unhealthy' } });
      },
      undefined,
      () => now,
    );
    await reader.health('p');
    down = true;
    now += 3_000;
    expect(await reader.health('p')).toMatchObject({ healthy: false, degraded: false });
    now += 3_000;
    expect(await reader.health('p')).toMatchObject({ healthy: false, degraded: true });
  });

  it("answers the partner's configured default once the last known state is too old to trust", async () => {
    let now = 1_000_000;
    let down = false;
    const reader = new PartnerHealthReader(
      async (id) => {
        if (down) throw new Error('store down');
        return snapshot(id, now, {
          automatic: { ...INITIAL_HEALTH, phase: 'unhealthy' },
          defaultHealthy: false,
        });
      },
      undefined,
      () => now,
    );
    await reader.health('p');
    down = true;
    now += 5 * 60_000 + 1;
    expect(await reader.health('p')).toMatchObject({ healthy: false, phase: 'unknown', degraded: true });
  });

  it('answers undefined for a partner the store does not know, and keeps no memory of it', async () => {
    const reader = new PartnerHealthReader(async () => undefined);
    expect(await reader.health('ghost')).toBeUndefined();
    expect((reader as unknown as { caches: Map<string, unknown> }).caches.size).toBe(0);
  });

  it('remembers a bounded number of partners', async () => {
    const reader = new PartnerHealthReader(async (id) => snapshot(id, Date.now()), {
      ttlMs: 2_000,
      deadlineMs: 50,
      staleAfterMs: 5_000,
      forgetAfterMs: 300_000,
      maxPartners: 3,
    });
    for (const id of ['a', 'b', 'c', 'd', 'e']) await reader.health(id);
    expect([...(reader as unknown as { caches: Map<string, unknown> }).caches.keys()]).toEqual([
      'c',
      'd',
      'e',
    ]);
  });
});
