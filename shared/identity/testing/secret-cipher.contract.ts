import { describe, expect, it } from 'vitest';
import type { SecretCipher } from '../ports.ts';

const context = { purpose: 'client-secret', appId: 'app_contract', clientId: 'ak_contract' };

/** What every `SecretCipher` must do (shared/identity/ports.ts): the context is bound to the ciphertext. */
export function secretCipherContract(name: string, setup: () => Promise<SecretCipher>): void {
  describe(`SecretCipher contract: ${name}`, () => {
    it('decrypts what it encrypted under the same context', async () => {
      const cipher = await setup();
      for (const plaintext of ['sk_live_0123456789abcdef', 'ünïcødé ✓ secret', 'x'.repeat(1_000)]) {
        const ciphertext = await cipher.encrypt(plaintext, context);
        expect(typeof ciphertext).toBe('string');
        expect(ciphertext).not.toBe(plaintext);
        expect(await cipher.decrypt(ciphertext, { ...context })).toBe(plaintext);
      }
    });

    it('treats the context as a map: the order of its members does not matter', async () => {
      const cipher = await setup();
      const ciphertext = await cipher.encrypt('sk_order', context);
      const reordered = { clientId: context.clientId, purpose: context.purpose, appId: context.appId };
      expect(await cipher.decrypt(ciphertext, reordered)).toBe('sk_order');
    });

    it.each([
      ['another value', { ...context, appId: 'app_other' }],
      ['an extra member', { ...context, extra: 'x' }],
      ['a missing member', { purpose: context.purpose, appId: context.appId }],
      ['no context', {}],
    ])('refuses to decrypt with %s in the context', async (_, other: Record<string, string>) => {
      const cipher = await setup();
      const ciphertext = await cipher.encrypt('sk_bound', context);
      await expect(cipher.decrypt(ciphertext, other)).rejects.toThrow();
    });

    it('refuses a ciphertext it did not make', async () => {
      const cipher = await setup();
      const forged = Buffer.from('not a ciphertext of this cipher').toString('base64');
      await expect(cipher.decrypt(forged, context)).rejects.toThrow();
    });
  });
}
