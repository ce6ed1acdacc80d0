/**
 * Verifies the webhooks Portico delivers to your endpoint (Node.js 20+, `node:crypto` only: copy this
 * file into your project). Portico signs deliveries as the Standard Webhooks specification says
 * (https://www.standardwebhooks.com), so any of its libraries works too. See sdk/README.md.
 *
 *   webhook-id:          the delivery id, the same on every retry (use it to ignore duplicates)
 *   webhook-timestamp:   when it was signed, in whole seconds since the Unix epoch
 *   webhook-signature:   space-separated `v1,<base64 HMAC-SHA256>` entries (several during a rotation)
 *   webhook-message-id:  the message id, shared by the deliveries of one message to every subscriber;
 *                        NOT covered by the signature
 *
 * The signed content is `${webhook-id}.${webhook-timestamp}.` followed by the raw body bytes, keyed with
 * the bytes your `whsec_…` secret encodes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a delivery was refused: answer 400 (or 401) and do not process it. */
export type WebhookFailureReason = 'missing-headers' | 'stale-timestamp' | 'bad-signature';

export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';

  constructor(
    readonly reason: WebhookFailureReason,
    message: string,
  ) {
    super(message);
  }
}

export interface VerifyPorticoWebhookOptions {
  /** How far the timestamp may be from now, either way, in seconds (default 300). */
  toleranceSeconds?: number;
  /** Milliseconds since the epoch; for tests. */
  now?: () => number;
}

export interface VerifiedWebhook {
  /** `webhook-message-id`: the message, for correlation (not signed; do not deduplicate on it). */
  messageId: string | undefined;
  /** `webhook-id`: the delivery, the same on every retry: deduplicate on it. */
  deliveryId: string;
  /** `webhook-timestamp`: whole seconds since the Unix epoch. */
  timestamp: number;
}

export type WebhookHeaders = Record<string, string | string[] | undefined> | Headers;

const DEFAULT_TOLERANCE_SECONDS = 300;
const TIMESTAMP_PATTERN = /^(?:0|[1-9][0-9]{0,11})$/;

// --- Secrets: `whsec_` + base64 of the key bytes ---------------------------------------------------

const SECRET_PREFIX = 'whsec_';
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;

/** The HMAC key a secret encodes: the base64-decoded bytes after `whsec_` (not the text itself). */
function secretKey(secret: string): Buffer {
  // A configuration mistake, not a bad delivery: a TypeError, so that it is not answered as a 400.
  const invalid = (why: string) =>
    new TypeError(`Invalid webhook secret: ${why} (expected whsec_ and base64).`);
  if (typeof secret !== 'string' || !secret.startsWith(SECRET_PREFIX))
    throw invalid(`no ${SECRET_PREFIX} prefix`);
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!BASE64_PATTERN.test(encoded)) throw invalid('not base64');
  const key = Buffer.from(encoded, 'base64');
  if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
    throw invalid(`${key.length} bytes, not ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES}`);
  }
  return key;
}

// --- Signatures: space-separated `<version>,<base64>` entries; only `v1` is known ------------------

const SIGNATURE_VERSION = 'v1';

/** The base64 signatures of the `v1` entries; entries of other versions are ignored. */
function v1Signatures(header: string): string[] {
  const signatures: string[] = [];
  for (const entry of header.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma > 0 && entry.slice(0, comma) === SIGNATURE_VERSION) signatures.push(entry.slice(comma + 1));
  }
  return signatures;
}

function expectedSignature(key: Buffer, id: string, timestamp: string, rawBody: string | Uint8Array): string {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`, 'utf8').update(rawBody).digest('base64');
}

// --- Headers ------------------------------------------------------------------------------------------

/** A header by name in any case, from a fetch `Headers` or a Node `req.headers`-like object. */
function readHeader(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() !== name) continue;
    if (Array.isArray(value))
      return name === 'webhook-signature' ? value.join(' ') : value.length === 1 ? value[0] : undefined;
    return value;
  }
  return undefined;
}

/**
 * Checks a delivery and returns its ids, or throws a `WebhookVerificationError` (its `reason` says why).
 * Pass the raw body exactly as received: a parsed and re-serialised JSON body will not verify. During a
 * rotation, pass every secret you hold: any matching one is enough.
 */
export function verifyPorticoWebhook(
  rawBody: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string | string[],
  options: VerifyPorticoWebhookOptions = {},
): VerifiedWebhook {
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) {
    throw new TypeError('Pass the raw request body (a string or bytes), not the parsed JSON.');
  }
  const secrets = Array.isArray(secret) ? secret : [secret];
  if (secrets.length === 0) throw new TypeError('Invalid webhook secret: none given.');
  const keys = secrets.map(secretKey);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!Number.isFinite(tolerance) || tolerance < 0)
    throw new TypeError('toleranceSeconds must be 0 or more.');

  const deliveryId = readHeader(headers, 'webhook-id');
  const stamp = readHeader(headers, 'webhook-timestamp');
  const signatures = readHeader(headers, 'webhook-signature');
  if (!deliveryId || !stamp || !signatures) {
    throw new WebhookVerificationError(
      'missing-headers',
      'The webhook-id, webhook-timestamp or webhook-signature header is missing.',
    );
  }
  if (!TIMESTAMP_PATTERN.test(stamp)) {
    throw new WebhookVerificationError(
      'missing-headers',
      'The webhook-timestamp header is not whole seconds.',
    );
  }

  const timestamp = Number(stamp);
  const now = Math.floor((options.now?.() ?? Date.now()) / 1000);
  if (Math.abs(now - timestamp) > tolerance) {
    throw new WebhookVerificationError(
      'stale-timestamp',
      `The webhook timestamp is more than ${tolerance} s from now (check your clock, or it is a replay).`,
    );
  }

  const offered = v1Signatures(signatures).map((text) => Buffer.from(text, 'utf8'));
  for (const key of keys) {
    const expected = Buffer.from(expectedSignature(key, deliveryId, stamp, rawBody), 'utf8');
    for (const candidate of offered) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) {
        return { messageId: readHeader(headers, 'webhook-message-id') || undefined, deliveryId, timestamp };
      }
    }
  }
  throw new WebhookVerificationError(
    'bad-signature',
    'No webhook signature matches (was the raw body changed, e.g. parsed and re-serialised, or is the secret wrong?).',
  );
}
