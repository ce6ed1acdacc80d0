import { createHash, randomBytes, randomFillSync } from 'node:crypto';

/** A URL-safe random string carrying `bytes` bytes of CSPRNG entropy. */
export const randomToken = (bytes: number): string => randomBytes(bytes).toString('base64url');

/** Identifiers: a readable prefix and 128 random bits. */
export const newId = (prefix: string): string => `${prefix}_${randomToken(16)}`;

export const sha256Hex = (value: string | Buffer): string => createHash('sha256').update(value).digest('hex');

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

/**
 * Random hex for identifiers that are not secrets (trace and span ids): drawn from a CSPRNG pool refilled
 * 4 KiB at a time, because one `randomBytes` call per request costs more than the id is worth.
 */
export function randomHex(bytes: number): string {
  if (bytes > POOL_BYTES) return randomBytes(bytes).toString('hex');
  if (poolOffset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}
