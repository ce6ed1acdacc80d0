import { describe, expect, it } from 'vitest';
import type { SigningKeyStore } from '../ports.ts';
import { generateSigningKey, type SigningKeySet } from '../signing-keys.ts';

const T0 = new Date(Date.UTC(2030, 0, 1));

/** What every `SigningKeyStore` must do (shared/identity/ports.ts): keep the private key set whole. */
export function signingKeyStoreContract(name: string, setup: () => Promise<SigningKeyStore>): void {
  describe(`SigningKeyStore contract: ${name}`, () => {
    it('loads an empty set before any key was saved', async () => {
      const store = await setup();
      expect(await store.load()).toEqual({ keys: [] });
    });

    it('loads the set it saved, private keys included', async () => {
      const store = await setup();
      const keys: SigningKeySet = {
        keys: [await generateSigningKey(T0, 'current'), await generateSigningKey(T0, 'next')],
      };
      await store.save(keys);
      expect(await store.load()).toEqual(keys);
    });

    it('replaces the whole set on save (a dropped key is gone)', async () => {
      const store = await setup();
      const [current, next, later] = [
        await generateSigningKey(T0, 'current'),
        await generateSigningKey(T0, 'next'),
        await generateSigningKey(T0, 'next'),
      ];
      await store.save({ keys: [current, next] });
      const rotated: SigningKeySet = {
        keys: [{ ...next, state: 'current', activatedAt: T0.toISOString() }, later],
      };
      await store.save(rotated);
      expect(await store.load()).toEqual(rotated);
    });

    it('hands out copies: changing a loaded or saved set changes nothing stored', async () => {
      const store = await setup();
      const keys: SigningKeySet = { keys: [await generateSigningKey(T0, 'current')] };
      const expected = structuredClone(keys);
      await store.save(keys);
      keys.keys[0]!.state = 'previous';
      (await store.load()).keys.length = 0;
      expect(await store.load()).toEqual(expected);
    });
  });
}
