import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NonceStore } from '../ports.ts';

const T0 = Date.UTC(2030, 0, 1);
const unique = (prefix: string) => `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;

/**
 * What every `NonceStore` must do (shared/identity/ports.ts): a nonce is accepted once per client until
 * it expires, then may be recorded again. `setup` builds the store on the contract's clock (ms), so
 * expiry is proven by moving the clock, not by waiting (the store may still hold expired nonces).
 * Times are whole seconds: stores may keep expiry at that resolution (DynamoDB TTL attributes do).
 */
export function nonceStoreContract(name: string, setup: (clock: () => number) => Promise<NonceStore>): void {
  describe(`NonceStore contract: ${name}`, () => {
    const fixture = async () => {
      const clock = { t: T0 };
      const store = await setup(() => clock.t);
      return { store, clock, expires: (seconds: number) => new Date(T0 + seconds * 1000) };
    };

    it('accepts a nonce once, and refuses it again before it expires', async () => {
      const { store, clock, expires } = await fixture();
      const [client, nonce] = [unique('ak'), unique('n')];
      expect(await store.remember(client, nonce, expires(300))).toBe(true);
      expect(await store.remember(client, nonce, expires(300))).toBe(false);
      clock.t = T0 + 299_000;
      expect(await store.remember(client, nonce, expires(600))).toBe(false);
    });

    it("keeps clients apart: another client's nonce of the same value is new", async () => {
      const { store, expires } = await fixture();
      const nonce = unique('n');
      const [a, b] = [unique('ak'), unique('ak')];
      expect(await store.remember(a, nonce, expires(300))).toBe(true);
      expect(await store.remember(b, nonce, expires(300))).toBe(true);
      expect(await store.remember(a, unique('n'), expires(300))).toBe(true);
      expect(await store.remember(b, nonce, expires(300))).toBe(false);
    });

    it('refuses a nonce until its expiry instant, accepts it again after, then refuses it anew', async () => {
      const { store, clock, expires } = await fixture();
      const [client, nonce] = [unique('ak'), unique('n')];
      expect(await store.remember(client, nonce, expires(300))).toBe(true);
      clock.t = T0 + 300_000;
      expect(await store.remember(client, nonce, expires(600))).toBe(false);
      clock.t = T0 + 301_000;
      expect(await store.remember(client, nonce, expires(601))).toBe(true);
      expect(await store.remember(client, nonce, expires(601))).toBe(false);
      clock.t = T0 + 602_000;
      expect(await store.remember(client, nonce, expires(900))).toBe(true);
    });

    it('does not extend the expiry of a nonce it refused', async () => {
      const { store, clock, expires } = await fixture();
      const [client, nonce] = [unique('ak'), unique('n')];
      expect(await store.remember(client, nonce, expires(60))).toBe(true);
      clock.t = T0 + 30_000;
      expect(await store.remember(client, nonce, expires(3_600))).toBe(false);
      clock.t = T0 + 61_000;
      expect(await store.remember(client, nonce, expires(3_600))).toBe(true);
    });
  });
}
