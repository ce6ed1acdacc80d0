import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The partner protocol's signature (seed 003 §6.3): the parameters sorted by key in ASCII order,
 * joined as `k=v` with `&`, HMAC-SHA256 with the shared secret, as lowercase hex in `sign`. Among the
 * parameters: `timestamp` (Unix seconds, within ±300 s) and `nonce` (used once: the caller checks
 * that, it needs a store). Values are signed exactly as sent; a non-string JSON value is signed as
 * its compact JSON text, so a body is signed as its top-level fields.
 */

export const SIGNATURE_PARAM = 'sign';
export const DEFAULT_TOLERANCE_SECONDS = 300;

const KEY = /^[A-Za-z0-9_.-]{1,64}$/;
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;
const TIMESTAMP = /^[1-9][0-9]{0,11}$/;
const HEX_SIGNATURE = /^[0-9a-f]{64}$/;

export type SignedParams = Record<string, unknown>;

export type SignatureFailure =
  | 'missing-signature'
  | 'bad-parameter'
  | 'stale-timestamp'
  | 'bad-nonce'
  | 'bad-signature';

const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** The string that is signed: every parameter but `sign`, sorted by key, as `k=v` joined with `&`. */
export function canonicalString(params: SignedParams): string {
  return Object.keys(params)
    .filter((key) => key !== SIGNATURE_PARAM && params[key] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => `${key}=${text(params[key])}`)
    .join('&');
}

export function signParams(params: SignedParams, secret: string): string {
  return createHmac('sha256', secret).update(canonicalString(params), 'utf8').digest('hex');
}

/** The parameters with a fresh timestamp and nonce and their `sign`: what a partner (or we) send. */
export function withSignature(
  params: SignedParams,
  secret: string,
  now: number,
  nonce = randomBytes(16).toString('base64url'),
): SignedParams {
  const stamped = { ...params, timestamp: String(Math.floor(now / 1000)), nonce };
  return { ...stamped, [SIGNATURE_PARAM]: signParams(stamped, secret) };
}

/**
 * Checks the shape, the clock and the signature; on success returns the nonce for the caller to
 * claim once. Any of `secrets` may match (two during a rotation).
 */
export function verifySignedParams(
  params: SignedParams,
  secrets: readonly string[],
  now: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): { ok: true; nonce: string; timestamp: number } | { ok: false; reason: SignatureFailure } {
  const sign = params[SIGNATURE_PARAM];
  if (typeof sign !== 'string' || sign === '') return { ok: false, reason: 'missing-signature' };
  if (!HEX_SIGNATURE.test(sign)) return { ok: false, reason: 'bad-signature' };
  if (!Object.keys(params).every((key) => KEY.test(key))) return { ok: false, reason: 'bad-parameter' };
  const { timestamp, nonce } = params;
  if (typeof timestamp !== 'string' || !TIMESTAMP.test(timestamp))
    return { ok: false, reason: 'bad-parameter' };
  if (typeof nonce !== 'string' || !NONCE.test(nonce)) return { ok: false, reason: 'bad-nonce' };
  const seconds = Number(timestamp);
  if (Math.abs(now / 1000 - seconds) > toleranceSeconds) return { ok: false, reason: 'stale-timestamp' };
  const given = Buffer.from(sign, 'hex');
  const matches = secrets.some((secret) =>
    timingSafeEqual(Buffer.from(signParams(params, secret), 'hex'), given),
  );
  return matches ? { ok: true, nonce, timestamp: seconds } : { ok: false, reason: 'bad-signature' };
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A 32-byte AES-256-GCM key from its base64 text, or undefined when it is not one. */
export function parseAesKey(base64: string): Buffer | undefined {
  const key = Buffer.from(base64, 'base64');
  return key.length === 32 && key.toString('base64') === base64 ? key : undefined;
}

/** AES-256-GCM: base64 of IV (12 bytes) ‖ ciphertext ‖ tag (16 bytes). */
export function encryptBody(plaintext: string, key: Buffer, iv = randomBytes(IV_BYTES)): string {
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
}

/** The plaintext, or undefined when the text is not base64 of a sealed box this key opens. */
export function decryptBody(sealed: string, key: Buffer): string | undefined {
  const bytes = Buffer.from(sealed, 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES || bytes.toString('base64') !== sealed) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return undefined;
  }
}
