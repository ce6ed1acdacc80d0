import { createHash, randomBytes } from 'node:crypto';

/** A URL-safe random string carrying `bytes` bytes of CSPRNG entropy. */
export const randomToken = (bytes: number): string => randomBytes(bytes).toString('base64url');

/** Identifiers: a readable prefix and 128 random bits. */
export const newId = (prefix: string): string => `${prefix}_${randomToken(16)}`;

export const sha256Hex = (value: string | Buffer): string => createHash('sha256').update(value).digest('hex');
