import type { SecretCipher } from '../identity/ports.ts';
import { parseAesKey } from './partner-signature.ts';
import type { StoredPartner } from './ports.ts';

export const partnerSecretContext = (partnerId: string) => ({ purpose: 'partner-shared-secret', partnerId });
export const partnerAesKeyContext = (partnerId: string) => ({ purpose: 'partner-aes-key', partnerId });

/** A partner's protocol secrets in the clear, for one request: never stored, never logged. */
export interface PartnerKeys {
  sharedSecret: string | undefined;
  aesKey: Buffer | undefined;
}

export async function partnerKeys(cipher: SecretCipher, partner: StoredPartner): Promise<PartnerKeys> {
  const [sharedSecret, aes] = await Promise.all([
    partner.sharedSecretCiphertext
      ? cipher.decrypt(partner.sharedSecretCiphertext, partnerSecretContext(partner.partnerId))
      : undefined,
    partner.aesKeyCiphertext
      ? cipher.decrypt(partner.aesKeyCiphertext, partnerAesKeyContext(partner.partnerId))
      : undefined,
  ]);
  return { sharedSecret, aesKey: aes === undefined ? undefined : parseAesKey(aes) };
}
