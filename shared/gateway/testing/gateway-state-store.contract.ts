import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BreakerSnapshot } from '../circuit-breaker/breaker.ts';
import type { GatewayStateStore, HealthResult, StoredBreaker } from '../ports.ts';
import { breakerSnapshot } from './breaker-snapshot.fixture.ts';

/** A whole second of 2030: stores may keep expiry in epoch seconds. */
const T0 = Date.UTC(2030, 0, 1);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const unique = (prefix: string) => `${prefix}-${randomUUID().replaceAll('-', '').slice(0, 12)}`;

const snapshot = (version: number, overrides: Partial<BreakerSnapshot> = {}) =>
  breakerSnapshot(version, T0, overrides);

const result = (url: string, checkedAt: number, overrides: Partial<HealthResult> = {}): HealthResult => ({
  url,
  ok: true,
  latencyMs: 12,
  checkedAt,
  ...overrides,
});

const byKey = (a: StoredBreaker, b: StoredBreaker) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const byUrl = (a: HealthResult, b: HealthResult) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0);

/**
 * What every `GatewayStateStore` must do (gateway/ports.ts): breaker records are written only over an
 * absent, expired or lower version; health results only over an absent, expired or earlier-checked one;
 * breaker records live an hour after their last write, health results ten minutes; readers never
 * return an expired record, whether or not the store still holds it. `setup` builds the store on the
 * contract's clock (ms), so expiry is proven by moving the clock rather than by waiting.
 */
export function gatewayStateStoreContract(
  name: string,
  setup: (clock: () => number) => Promise<GatewayStateStore>,
): void {
  describe(`GatewayStateStore contract: ${name}`, () => {
    const fixture = async () => {
      const clock = { t: T0 };
      const store = await setup(() => clock.t);
      return { store, clock };
    };

    describe('breaker records', () => {
      it('reads nothing from an empty store', async () => {
        const { store } = await fixture();
        expect(await store.readBreakers()).toEqual([]);
        expect(await store.readHealth()).toEqual([]);
      });

      it('writes a snapshot over an absent or lower version only, and reads back the latest', async () => {
        const { store } = await fixture();
        const key = unique('orders');
        expect(await store.writeBreaker(key, snapshot(3))).toBe(true);
        expect(await store.writeBreaker(key, snapshot(2))).toBe(false);
        expect(await store.writeBreaker(key, snapshot(3, { state: 'closed' }))).toBe(false);
        expect(await store.readBreakers()).toEqual([{ key, snapshot: snapshot(3) }]);
        const halfOpen = snapshot(4, { state: 'half-open', backoffLevel: 2 });
        expect(await store.writeBreaker(key, halfOpen)).toBe(true);
        expect(await store.readBreakers()).toEqual([{ key, snapshot: halfOpen }]);
      });

      it('keeps one record per key, long keys included', async () => {
        const { store } = await fixture();
        const keys = [
          unique('orders'),
          `${unique('orders')}#https://a.example/`,
          `${unique('api')}#${'x'.repeat(1_500)}`,
        ];
        for (const [i, key] of keys.entries())
          expect(await store.writeBreaker(key, snapshot(i + 1))).toBe(true);
        expect(await store.writeBreaker(keys[2]!, snapshot(1))).toBe(false);
        expect((await store.readBreakers()).sort(byKey)).toEqual(
          keys.map((key, i) => ({ key, snapshot: snapshot(i + 1) })).sort(byKey),
        );
      });

      it('stops returning a record an hour after its last write, though the store may hold it', async () => {
        const { store, clock } = await fixture();
        const [a, b] = [unique('a'), unique('b')];
        await store.writeBreaker(a, snapshot(1));
        await store.writeBreaker(b, snapshot(1));
        clock.t = T0 + 30 * MINUTE;
        await store.writeBreaker(b, snapshot(2));
        clock.t = T0 + HOUR - 1_000;
        expect((await store.readBreakers()).map((r) => r.key).sort()).toEqual([a, b].sort());
        clock.t = T0 + HOUR;
        expect(await store.readBreakers()).toEqual([{ key: b, snapshot: snapshot(2) }]);
        clock.t = T0 + 30 * MINUTE + HOUR;
        expect(await store.readBreakers()).toEqual([]);
      });

      it('lets any version replace an expired record', async () => {
        const { store, clock } = await fixture();
        const key = unique('orders');
        await store.writeBreaker(key, snapshot(9));
        clock.t = T0 + HOUR - 1_000;
        expect(await store.writeBreaker(key, snapshot(1))).toBe(false);
        clock.t = T0 + HOUR;
        expect(await store.writeBreaker(key, snapshot(1, { state: 'closed' }))).toBe(true);
        expect(await store.readBreakers()).toEqual([{ key, snapshot: snapshot(1, { state: 'closed' }) }]);
        // The new record lives an hour from its own write.
        clock.t = T0 + 2 * HOUR - 1_000;
        expect(await store.readBreakers()).toHaveLength(1);
      });

      it('hands out copies: changing a read snapshot changes nothing stored', async () => {
        const { store } = await fixture();
        const key = unique('orders');
        await store.writeBreaker(key, snapshot(1));
        const [read] = await store.readBreakers();
        (read!.snapshot as BreakerSnapshot).state = 'closed';
        expect(await store.readBreakers()).toEqual([{ key, snapshot: snapshot(1) }]);
      });
    });

    describe('health results', () => {
      it('keeps one result per URL: the one checked last (a tie replaces), never an older one', async () => {
        const { store } = await fixture();
        const [a, b] = [`https://${unique('a')}.example`, `https://${unique('b')}.example`];
        await store.writeHealth([
          result(a, T0 - 2_000),
          result(b, T0 - 2_000, { ok: false, error: 'timeout' }),
        ]);
        await store.writeHealth([result(a, T0 - 1_000, { ok: false, error: 'probe-error', latencyMs: 3 })]);
        await store.writeHealth([result(b, T0 - 5_000)]);
        expect((await store.readHealth()).sort(byUrl)).toEqual(
          [
            result(a, T0 - 1_000, { ok: false, error: 'probe-error', latencyMs: 3 }),
            result(b, T0 - 2_000, { ok: false, error: 'timeout' }),
          ].sort(byUrl),
        );
        await store.writeHealth([result(b, T0 - 2_000, { latencyMs: 99 })]);
        expect((await store.readHealth()).find((r) => r.url === b)).toEqual(
          result(b, T0 - 2_000, { latencyMs: 99 }),
        );
      });

      it('stores results for URLs too long for a key', async () => {
        const { store } = await fixture();
        const long = `https://${unique('long')}.example/${'p'.repeat(2_000)}`;
        await store.writeHealth([result(long, T0 - 1_000)]);
        await store.writeHealth([result(long, T0 - 3_000, { ok: false })]);
        expect(await store.readHealth()).toEqual([result(long, T0 - 1_000)]);
      });

      it('stops returning a result ten minutes after its write, and lets an older one replace it then', async () => {
        const { store, clock } = await fixture();
        const url = `https://${unique('a')}.example`;
        await store.writeHealth([result(url, T0)]);
        clock.t = T0 + 10 * MINUTE - 1_000;
        expect(await store.readHealth()).toEqual([result(url, T0)]);
        await store.writeHealth([result(url, T0 - MINUTE, { ok: false })]);
        expect(await store.readHealth()).toEqual([result(url, T0)]);
        clock.t = T0 + 10 * MINUTE;
        expect(await store.readHealth()).toEqual([]);
        await store.writeHealth([result(url, T0 - MINUTE, { ok: false })]);
        expect(await store.readHealth()).toEqual([result(url, T0 - MINUTE, { ok: false })]);
      });

      it('writes nothing for an empty batch', async () => {
        const { store } = await fixture();
        await store.writeHealth([]);
        expect(await store.readHealth()).toEqual([]);
      });
    });
  });
}
