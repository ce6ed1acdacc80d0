import { describe, expect, it } from 'vitest';
import type { PublicKeyStore } from '../ports.ts';
import { generateSigningKey, publicJwks } from '../signing-keys.ts';

const T0 = new Date(Date.UTC(2030, 0, 1));

/** What every `PublicKeyStore` must do (shared/identity/ports.ts): keep the published JWKS whole. */
export function publicKeyStoreContract(name: string, setup: () => Promise<PublicKeyStore>): void {
  describe(`PublicKeyStore contract: ${name}`, () => {
    it('loads an empty JWKS before any was saved', async () => {
      const store = await setup();
      expect(await store.load()).toEqual({ keys: [] });
    });

    it('loads the JWKS it saved', async () => {
      const store = await setup();
      const jwks = publicJwks({
        keys: [await generateSigningKey(T0, 'current'), await generateSigningKey(T0, 'next')],
      });
      await store.save(jwks);
      expect(await store.load()).toEqual(jwks);
    });

    it('replaces the whole JWKS on save', async () => {
      const store = await setup();
      const [a, b, c] = [
        await generateSigningKey(T0, 'previous'),
        await generateSigningKey(T0, 'current'),
        await generateSigningKey(T0, 'next'),
      ];
      await store.save(publicJwks({ keys: [a, b] }));
      await store.save(publicJwks({ keys: [b, c] }));
      expect(await store.load()).toEqual(publicJwks({ keys: [b, c] }));
      await store.save({ keys: [] });
      expect(await store.load()).toEqual({ keys: [] });
    });

    it('hands out copies: changing a loaded or saved JWKS changes nothing stored', async () => {
      const store = await setup();
      const jwks = publicJwks({ keys: [await generateSigningKey(T0, 'current')] });
      const expected = structuredClone(jwks);
      await store.save(jwks);
      jwks.keys[0]!.kid = 'tampered';
      (await store.load()).keys.length = 0;
      expect(await store.load()).toEqual(expected);
    });
  });
}
