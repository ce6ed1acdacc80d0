/**
 * Webhook signatures for message deliveries, as the Standard Webhooks specification defines them
 * (https://www.standardwebhooks.com, the scheme Svix uses), so receivers can use any of its libraries.
 *
 * Each delivery carries three headers:
 *
 *   webhook-id:         the delivery id (one per message and subscription, the same on every retry)
 *   webhook-timestamp:  the signing time in whole seconds since the Unix epoch, decimal
 *   webhook-signature:  space-separated `v1,<base64 HMAC-SHA256>` entries, one per live secret
 *
 * The signed content is the UTF-8 of `${id}.${timestamp}.` followed by the exact body bytes. A secret is
 * `whsec_` + base64 of 24–64 random bytes; the HMAC key is the decoded bytes, not the text. During a
 * rotation the delivery is signed with every live secret, and a receiver accepts any matching `v1` entry
 * (entries of other versions are ignored). Receivers refuse timestamps more than 5 minutes away.
 *
 * Portico also sends `webhook-message-id` (the message id, shared by every subscription of a message):
 * it is not part of the signed content, so it is for correlation only, never for idempotency.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../kernel/errors.ts';

export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';
/** Not signed: the message id, for correlating the deliveries of one message. */
export const WEBHOOK_MESSAGE_ID_HEADER = 'webhook-message-id';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
export const WEBHOOK_SIGNATURE_VERSION = 'v1';
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

const SECRET_BYTES = 32;
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;
const MAX_ID_LENGTH = 256;
/** Visible ASCII: a header value without spaces, so the id is carried as it was signed. */
const ID_PATTERN = /^[\x21-\x7e]+$/;
/** Standard base64 with its padding, nothing else. */
const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Decimal whole seconds, no sign, no leading zero: the text that is signed is the number. */
const TIMESTAMP_PATTERN = /^(?:0|[1-9][0-9]{0,11})$/;

export type WebhookBody = string | Uint8Array;

export interface WebhookToSign {
  /** The delivery id (`webhook-id`). */
  id: string;
  /** Whole seconds since the Unix epoch. */
  timestamp: number;
  /** The exact bytes sent (a string is sent as its UTF-8). */
  body: WebhookBody;
}

export type WebhookHeaders = Record<
  typeof WEBHOOK_ID_HEADER | typeof WEBHOOK_TIMESTAMP_HEADER | typeof WEBHOOK_SIGNATURE_HEADER,
  string
>;

/** Why a delivery was refused: `missing-headers` also covers a header that cannot be read. */
export type WebhookVerificationFailure = 'missing-headers' | 'stale-timestamp' | 'bad-signature';

export type WebhookVerification =
  | { ok: true; id: string; timestamp: number }
  | { ok: false; reason: WebhookVerificationFailure };

export interface VerifyWebhookOptions {
  now: Date;
  /** How far the timestamp may be from `now`, either way (default 300). */
  toleranceSeconds?: number;
}

const malformedSecret = (reason: string): DomainError =>
  new DomainError('validation-failed', `The webhook secret is malformed: ${reason}.`, {
    reason: 'malformed-webhook-secret',
  });

/** A new secret: `whsec_` and the base64 of 32 CSPRNG bytes. */
export const generateWebhookSecret = (): string =>
  `${WEBHOOK_SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;

/** The HMAC key of a secret (its decoded bytes). Never echoes the secret in the error. */
export function parseWebhookSecret(secret: string): Buffer {
  if (typeof secret !== 'string' || !secret.startsWith(WEBHOOK_SECRET_PREFIX)) {
    throw malformedSecret(`it must start with ${WEBHOOK_SECRET_PREFIX}`);
  }
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  if (!BASE64_PATTERN.test(encoded))
    throw malformedSecret(`the part after ${WEBHOOK_SECRET_PREFIX} is not base64`);
  const key = Buffer.from(encoded, 'base64');
  // Unused low bits must be zero, so that one key has exactly one text.
  if (key.toString('base64') !== encoded) throw malformedSecret('the base64 is not canonical');
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
    throw malformedSecret(`the key must be ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes`);
  }
  return key;
}

function parseSecrets(secrets: readonly string[]): Buffer[] {
  if (secrets.length === 0) {
    throw new DomainError('validation-failed', 'At least one webhook secret is needed.', {
      reason: 'no-webhook-secret',
    });
  }
  return secrets.map(parseWebhookSecret);
}

/** The base64 HMAC-SHA256 of `${id}.${timestamp}.` and the body bytes. */
function signature(key: Buffer, id: string, timestamp: string, body: WebhookBody): string {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`, 'utf8').update(body).digest('base64');
}

/** The Standard Webhooks headers of a delivery, one `v1` entry per secret, in the order given. */
export function signWebhook(
  { id, timestamp, body }: WebhookToSign,
  secrets: readonly string[],
): WebhookHeaders {
  if (!ID_PATTERN.test(id) || id.length > MAX_ID_LENGTH) {
    throw new DomainError(
      'validation-failed',
      `A webhook id is 1 to ${MAX_ID_LENGTH} visible ASCII characters.`,
    );
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new DomainError('validation-failed', 'A webhook timestamp is whole seconds since the Unix epoch.');
  }
  const keys = parseSecrets(secrets);
  const stamp = String(timestamp);
  return {
    [WEBHOOK_ID_HEADER]: id,
    [WEBHOOK_TIMESTAMP_HEADER]: stamp,
    [WEBHOOK_SIGNATURE_HEADER]: keys
      .map((key) => `${WEBHOOK_SIGNATURE_VERSION},${signature(key, id, stamp, body)}`)
      .join(' '),
  };
}

const header = (headers: Readonly<Record<string, string | undefined>>, name: string): string | undefined => {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
};

/** The `v1` signatures of a `webhook-signature` value; entries of other versions are skipped. */
function v1Signatures(value: string): string[] {
  const found: string[] = [];
  for (const entry of value.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== WEBHOOK_SIGNATURE_VERSION) continue;
    found.push(entry.slice(comma + 1));
  }
  return found;
}

/**
 * Checks a delivery as a receiver does: the headers (names in any case), the raw body bytes, and the
 * secrets the receiver holds (several during a rotation). Malformed secrets throw: that is a
 * configuration error, not a refusal.
 */
export function verifyWebhook(
  headers: Readonly<Record<string, string | undefined>>,
  body: WebhookBody,
  secrets: readonly string[],
  { now, toleranceSeconds = DEFAULT_WEBHOOK_TOLERANCE_SECONDS }: VerifyWebhookOptions,
): WebhookVerification {
  const keys = parseSecrets(secrets);
  if (!Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) {
    throw new DomainError(
      'validation-failed',
      'The webhook timestamp tolerance is a number of seconds, 0 or more.',
    );
  }
  const id = header(headers, WEBHOOK_ID_HEADER);
  const stamp = header(headers, WEBHOOK_TIMESTAMP_HEADER);
  const signatures = header(headers, WEBHOOK_SIGNATURE_HEADER);
  if (!id || !stamp || !signatures || !TIMESTAMP_PATTERN.test(stamp))
    return { ok: false, reason: 'missing-headers' };

  const timestamp = Number(stamp);
  if (Math.abs(Math.floor(now.getTime() / 1000) - timestamp) > toleranceSeconds) {
    return { ok: false, reason: 'stale-timestamp' };
  }

  const offered = v1Signatures(signatures).map((text) => Buffer.from(text, 'utf8'));
  for (const key of keys) {
    const expected = Buffer.from(signature(key, id, stamp, body), 'utf8');
    for (const candidate of offered) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) {
        return { ok: true, id, timestamp };
      }
    }
  }
  return { ok: false, reason: 'bad-signature' };
}
