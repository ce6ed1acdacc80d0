import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from '../../kernel/page.ts';
import { RevisionConflictError } from '../../kernel/revision.ts';
import { INITIAL_HEALTH } from '../health-machine.ts';
import type {
  HealthStateStore,
  NoticeStore,
  OnceStore,
  PartnerStore,
  PartnerTransition,
  PollLog,
  TrafficStore,
  TransitionLog,
} from '../ports.ts';
import { aNotice, aPartner } from './fixtures.ts';

/** What every `PartnerStore` must do (partners/ports.ts). */
export function partnerStoreContract(name: string, setup: () => Promise<PartnerStore>): void {
  describe(`PartnerStore contract: ${name}`, () => {
    it('stores revisions, lists by id, refuses a stale revision and keeps what is stored', async () => {
      const store = await setup();
      expect(await store.put(aPartner('b'))).toMatchObject({ partnerId: 'b', revision: 1 });
      await store.put(aPartner('a'));
      const second = await store.put(aPartner('b', { name: 'B' }), 1);
      expect(second.revision).toBe(2);
      await expect(store.put(aPartner('b', { name: 'stale' }), 1)).rejects.toBeInstanceOf(
        RevisionConflictError,
      );
      await expect(store.put(aPartner('c'), 3)).rejects.toBeInstanceOf(RevisionConflictError);
      expect(await store.get('b')).toEqual(second);
      expect((await store.list()).map((p) => p.partnerId)).toEqual(['a', 'b']);
      expect(await store.get('c')).toBeUndefined();
    });

    it('deletes once', async () => {
      const store = await setup();
      await store.put(aPartner('gone'));
      expect(await store.delete('gone')).toBe(true);
      expect(await store.delete('gone')).toBe(false);
      expect(await store.get('gone')).toBeUndefined();
    });
  });
}

/** What every `NoticeStore` must do. */
export function noticeStoreContract(name: string, setup: () => Promise<NoticeStore>): void {
  describe(`NoticeStore contract: ${name}`, () => {
    it('creates once, then changes only over the change count read', async () => {
      const store = await setup();
      const first = aNotice('p', 'UC-1');
      expect(await store.save(first, undefined)).toBe(true);
      expect(await store.save(first, undefined)).toBe(false);
      const changed = { ...first, status: 'invalid' as const, changeCount: 1 };
      expect(await store.save(changed, 1)).toBe(false);
      expect(await store.save(changed, 0)).toBe(true);
      expect(await store.get('p', 'partner', 'UC-1')).toEqual(changed);
    });

    it('keeps sources apart and lists only the partner’s notices', async () => {
      const store = await setup();
      await store.save(aNotice('p', 'same-id'), undefined);
      await store.save(aNotice('p', 'same-id', { source: 'admin', operatorId: 'user_1' }), undefined);
      await store.save(aNotice('q', 'other'), undefined);
      const listed = await store.list('p');
      expect(listed.map((n) => [n.source, n.noticeId])).toEqual([
        ['admin', 'same-id'],
        ['partner', 'same-id'],
      ]);
      expect(await store.get('p', 'automatic', 'same-id')).toBeUndefined();
    });
  });
}

/** What every `HealthStateStore` must do. */
export function healthStateStoreContract(name: string, setup: () => Promise<HealthStateStore>): void {
  describe(`HealthStateStore contract: ${name}`, () => {
    it('moves by versions: the first write at 0, each next over the version read', async () => {
      const store = await setup();
      expect(await store.get('p')).toBeUndefined();
      const watch = { state: INITIAL_HEALTH, probeFailuresInRow: 0 };
      expect(await store.save('p', watch, 0)).toBe(true);
      expect(await store.save('p', watch, 0)).toBe(false);
      const unhealthy = {
        state: { ...INITIAL_HEALTH, phase: 'unhealthy' as const, since: 5 },
        probeFailuresInRow: 3,
        automaticNoticeId: 'auto-5',
      };
      expect(await store.save('p', unhealthy, 1)).toBe(true);
      expect(await store.get('p')).toEqual({ watch: unhealthy, version: 2 });
    });
  });
}

/** What every `OnceStore` must do. */
export function onceStoreContract(name: string, setup: (clock: () => number) => Promise<OnceStore>): void {
  describe(`OnceStore contract: ${name}`, () => {
    it('grants a claim once until it expires, then once again', async () => {
      let now = Date.parse('2026-12-03T00:00:00Z');
      const store = await setup(() => now);
      expect(await store.claim('nonce:p:abc', now + 600_000)).toBe(true);
      expect(await store.claim('nonce:p:abc', now + 600_000)).toBe(false);
      expect(await store.claim('nonce:q:abc', now + 600_000)).toBe(true);
      now += 601_000;
      expect(await store.claim('nonce:p:abc', now + 600_000)).toBe(true);
    });
  });
}

/** What every `TrafficStore` must do. */
export function trafficStoreContract(name: string, setup: () => Promise<TrafficStore>): void {
  describe(`TrafficStore contract: ${name}`, () => {
    it('sums instances per window, counts a repeated write once, and reads a range', async () => {
      const store = await setup();
      const W = 60_000;
      const start = 29_000_000 * W;
      await store.put('p', 'i1', { start, calls: 10, succeeded: 9, slow: 1 });
      await store.put('p', 'i1', { start, calls: 12, succeeded: 10, slow: 1 });
      await store.put('p', 'i1', { start, calls: 12, succeeded: 10, slow: 1 });
      await store.put('p', 'i2', { start, calls: 5, succeeded: 5, slow: 0 });
      await store.put('p', 'i1', { start: start + W, calls: 3, succeeded: 0, slow: 3 });
      await store.put('p', 'i1', { start: start + 2 * W, calls: 7, succeeded: 7, slow: 0 });
      await store.put('q', 'i1', { start, calls: 100, succeeded: 100, slow: 0 });
      expect(await store.read('p', start, start + W)).toEqual([
        { start, calls: 17, succeeded: 15, slow: 1 },
        { start: start + W, calls: 3, succeeded: 0, slow: 3 },
      ]);
      expect(await store.read('p', start + 3 * W, start + 9 * W)).toEqual([]);
      // Windows shorter than a minute (a test deployment's) sort and read the same way.
      await store.put('p', 'i1', { start: start + 3 * W + 2_000, calls: 1, succeeded: 1, slow: 0 });
      expect(await store.read('p', start + 3 * W, start + 3 * W + 2_000)).toEqual([
        { start: start + 3 * W + 2_000, calls: 1, succeeded: 1, slow: 0 },
      ]);
    });
  });
}

/** What every `PollLog` must do. */
export function pollLogContract(name: string, setup: () => Promise<PollLog>): void {
  describe(`PollLog contract: ${name}`, () => {
    it('counts failed intervals in a row, each slot once, and resets on a success', async () => {
      const log = await setup();
      expect(await log.record('p', 10, { ok: false, at: 1, detail: 'timeout' })).toBe(1);
      expect(await log.record('p', 10, { ok: false, at: 2, detail: 'timeout' })).toBe(1);
      expect(await log.record('p', 11, { ok: false, at: 3, detail: 'connection' })).toBe(2);
      expect(await log.record('q', 11, { ok: true, at: 3 })).toBe(0);
      expect(await log.list()).toEqual([
        { partnerId: 'p', slot: 11, consecutiveFailures: 2, lastFailure: { at: 3, detail: 'connection' } },
        { partnerId: 'q', slot: 11, consecutiveFailures: 0, lastSuccessAt: 3 },
      ]);
      expect(await log.record('p', 12, { ok: true, at: 4 })).toBe(0);
      expect((await log.list())[0]).toMatchObject({ consecutiveFailures: 0, lastSuccessAt: 4 });
      expect(await log.get('p')).toMatchObject({ partnerId: 'p', slot: 12, consecutiveFailures: 0 });
      expect(await log.get('nobody')).toBeUndefined();
    });
  });
}

/** What every `TransitionLog` must do. */
export function transitionLogContract(name: string, setup: () => Promise<TransitionLog>): void {
  describe(`TransitionLog contract: ${name}`, () => {
    const transition = (partnerId: string, at: number, to: PartnerTransition['to']): PartnerTransition => ({
      eventId: `${partnerId}-${at}`,
      partnerId,
      from: 'healthy',
      to,
      event: 'degraded',
      admittedPercent: 0,
      at,
      reason: 'r',
    });

    it('keeps each transition once and pages them newest first, partner by partner', async () => {
      const log = await setup();
      const t0 = 1_796_000_000_000;
      const kept = [1, 2, 3, 4, 5].map((i) =>
        transition('p', t0 + i * 1000, i % 2 ? 'unhealthy' : 'probing'),
      );
      await log.append(kept.slice(0, 3));
      await log.append(kept.slice(2));
      await log.append([transition('q', t0, 'unhealthy')]);
      const first = await log.list('p', { limit: 2 });
      expect(first.items.map((t) => t.at)).toEqual([t0 + 5000, t0 + 4000]);
      expect(first.next).toBeDefined();
      const second = await log.list('p', { limit: 2, cursor: first.next! });
      const third = await log.list('p', { limit: 2, cursor: second.next! });
      expect([...second.items, ...third.items]).toEqual([kept[2], kept[1], kept[0]]);
      expect((await log.list('q', { limit: 10 })).items).toHaveLength(1);
      expect((await log.list('nobody', { limit: 10 })).items).toEqual([]);
    });

    it('refuses a cursor it did not hand out', async () => {
      const log = await setup();
      await expect(log.list('p', { limit: 1, cursor: 'bm90LW91cnM' })).rejects.toThrow(InvalidCursorError);
    });
  });
}
