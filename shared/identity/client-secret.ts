import { timingSafeEqual } from 'node:crypto';
import { randomToken, sha256Hex } from '../crypto/random.ts';

/** 32 bytes from the CSPRNG: 256 bits, so a plain SHA-256 digest is a safe verifier for it. */
export const CLIENT_SECRET_BYTES = 32;

export const generateClientSecret = (): string => `sk_${randomToken(CLIENT_SECRET_BYTES)}`;

export const clientSecretVerifier = (secret: string): string => sha256Hex(secret);

export function clientSecretMatches(presented: string, verifier: string): boolean {
  const expected = Buffer.from(verifier, 'hex');
  const actual = Buffer.from(sha256Hex(presented), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
