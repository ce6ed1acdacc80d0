/**
 * HMAC request signatures for gateway calls: an alternative to bearer tokens with which a client
 * proves, on every request, that it holds its app secret and that nothing it signed was changed.
 * This comment is the public contract; clients in any language implement exactly this.
 *
 * Header (the scheme name and parameter names are case-insensitive, as in RFC 9110; parameters in
 * any order, each exactly once, values in double quotes without escapes, optional whitespace around
 * commas and `=`; nothing else in the header):
 *
 *   Authorization: Portico-HMAC-SHA256 key="<clientId>", ts="<unix seconds>", nonce="<nonce>", sig="<signature>"
 *
 *   - key:   the client id: 1–128 visible ASCII characters except `"`, `\` and `,`;
 *   - ts:    the signing time in whole seconds since the Unix epoch, decimal, no sign, no leading
 *            zero (at most 12 digits);
 *   - nonce: 16–64 characters of `[A-Za-z0-9_-]`, never reused by a client within the window;
 *   - sig:   the signature, 43 characters of base64url (no padding).
 *
 * Canonical string: these 8 lines joined with "\n" (no trailing newline):
 *
 *   1. `PORTICO-HMAC-SHA256`
 *   2. the HTTP method, upper case
 *   3. the canonical path: the request path as sent (before any `?`), split on `/`; each segment
 *      percent-decoded to bytes (characters sent unencoded count as their UTF-8 bytes; a `%` not
 *      followed by two hex digits makes the request invalid) and re-encoded byte by byte, leaving
 *      the RFC 3986 unreserved characters `A-Z a-z 0-9 - . _ ~` as they are and writing every other
 *      byte as `%XX` with upper-case hex; segments joined with `/`; an empty path is `/`. Nothing
 *      else is normalised: no dot-segment removal, `%2F` stays inside its segment, a trailing `/`
 *      counts.
 *   4. the canonical parameters: every query parameter, plus (only when the media type of the
 *      Content-Type is `application/x-www-form-urlencoded`, parameters such as charset ignored)
 *      every body parameter. Pieces are split on `&` (empty pieces ignored), name and value at the
 *      first `=` (no `=`: the value is empty); both are decoded by the form rules (`+` is a space,
 *      then percent-decoding to bytes as above, a malformed escape makes the request invalid) and
 *      re-encoded as in the path. Pairs are sorted by encoded name, then encoded value (ordinal
 *      order), written `name=value` and joined with `&`. Repeated names are all kept. Empty when
 *      there are none.
 *   5. the lower-case hex SHA-256 of the raw body bytes (of the empty string when there is no body)
 *   6. the ts value, as in the header
 *   7. the nonce
 *   8. the client id (the key)
 *
 * Signature: base64url without padding of HMAC-SHA256(key = the app secret as UTF-8 bytes,
 * message = the canonical string as UTF-8).
 *
 * Verification (`verifySignedRequest`): parse the header (malformed) → |now − ts| ≤ window, 300 s
 * by default (stale-timestamp) → canonicalise the request (malformed) → the client's currently
 * valid secrets, two during a rotation (unknown-key when none) → constant-time comparison with the
 * signature under every secret (bad-signature) → only then the nonce is recorded for (client id,
 * nonce) until ts + window + 60 s (replayed-nonce when already recorded). Every failure is a 401 problem of type
 * `urn:portico:problem:unauthorized` with a stable `reason` member (the values above) and
 * `WWW-Authenticate: Portico-HMAC-SHA256`.
 *
 * Pure: no I/O except through the ports it receives.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { randomToken } from '../crypto/random.ts';
import { DomainError } from '../kernel/errors.ts';
import type { NonceStore } from './ports.ts';

export const SIGNATURE_SCHEME = 'Portico-HMAC-SHA256';
export const CANONICAL_PREFIX = 'PORTICO-HMAC-SHA256';
export const DEFAULT_WINDOW_SECONDS = 300;
/** How long after the end of the window a nonce is still remembered (clock skew between stores). */
export const NONCE_GRACE_SECONDS = 60;

export interface SignableRequest {
  method: string;
  /** The path as sent, still percent-encoded, without the query (API Gateway v2: `rawPath`). */
  path: string;
  /** The query as sent, without the `?` (API Gateway v2: `rawQueryString`). */
  rawQueryString: string;
  contentType?: string;
  body: Buffer | Uint8Array | string;
}

export interface SignatureAuth {
  clientId: string;
  timestamp: number;
  nonce: string;
}

export interface ParsedSignature extends SignatureAuth {
  signature: string;
}

export interface VerifyDeps {
  /** Every secret currently valid for the client (two during a rotation); empty when unknown or disabled. */
  secretsFor(clientId: string): Promise<string[]>;
  nonces: NonceStore;
  windowSeconds?: number;
}

export type SignatureFailureReason =
  | 'malformed'
  | 'stale-timestamp'
  | 'unknown-key'
  | 'bad-signature'
  | 'replayed-nonce';

/** The request cannot be canonicalised (a malformed percent-escape in the path, query or form body). */
export class MalformedRequestError extends Error {
  override name = 'MalformedRequestError';
}

const KEY_PATTERN = /^[\x21\x23-\x2B\x2D-\x5B\x5D-\x7E]{1,128}$/;
const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
const TS_PATTERN = /^(0|[1-9][0-9]{0,11})$/;
const SIG_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const MAX_HEADER_LENGTH = 1024;
const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

// --- canonicalisation ------------------------------------------------------------------------------

const ENCODED_BYTE: string[] = Array.from({ length: 256 }, (_, byte) => {
  const unreserved =
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || // -
    byte === 0x2e || // .
    byte === 0x5f || // _
    byte === 0x7e; // ~
  return unreserved ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
});

const hexValue = (byte: number): number => {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
};

const toBytes = (value: Buffer | Uint8Array | string): Uint8Array =>
  typeof value === 'string' ? Buffer.from(value, 'utf8') : value;

/** Percent-decodes to bytes, then RFC 3986-encodes them; `+` is a space when `form` is set. */
function recode(bytes: Uint8Array, form: boolean): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    let byte = bytes[i]!;
    if (byte === 0x25) {
      const high = i + 2 < bytes.length ? hexValue(bytes[i + 1]!) : -1;
      const low = high >= 0 ? hexValue(bytes[i + 2]!) : -1;
      if (low < 0) throw new MalformedRequestError('A percent sign is not followed by two hex digits.');
      byte = high * 16 + low;
      i += 2;
    } else if (form && byte === 0x2b) {
      byte = 0x20;
    }
    out += ENCODED_BYTE[byte]!;
  }
  return out;
}

/** Line 3 of the canonical string. */
export function canonicalPath(path: string): string {
  if (path === '') return '/';
  return path
    .split('/')
    .map((segment) => recode(toBytes(segment), false))
    .join('/');
}

/** Splits `a=1&b` into encoded pairs, by the form rules. */
function formPairs(bytes: Uint8Array): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x26) continue;
    if (i > start) {
      const piece = bytes.subarray(start, i);
      const eq = piece.indexOf(0x3d);
      pairs.push(
        eq < 0
          ? [recode(piece, true), '']
          : [recode(piece.subarray(0, eq), true), recode(piece.subarray(eq + 1), true)],
      );
    }
    start = i + 1;
  }
  return pairs;
}

const isForm = (contentType: string | undefined): boolean =>
  contentType?.split(';')[0]?.trim().toLowerCase() === FORM_MEDIA_TYPE;

/** Line 4 of the canonical string. */
export function canonicalParameters(request: Omit<SignableRequest, 'method' | 'path'>): string {
  const pairs = formPairs(toBytes(request.rawQueryString));
  if (isForm(request.contentType)) pairs.push(...formPairs(toBytes(request.body)));
  const ordinal = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  pairs.sort(([na, va], [nb, vb]) => ordinal(na, nb) || ordinal(va, vb));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/**
 * The string that is signed. Throws MalformedRequestError when the path, query or form body holds a
 * malformed percent-escape.
 */
export function canonicalString(request: SignableRequest, auth: SignatureAuth): string {
  return [
    CANONICAL_PREFIX,
    request.method.toUpperCase(),
    canonicalPath(request.path),
    canonicalParameters(request),
    createHash('sha256').update(toBytes(request.body)).digest('hex'),
    String(auth.timestamp),
    auth.nonce,
    auth.clientId,
  ].join('\n');
}

/** base64url (no padding) of HMAC-SHA256 of the canonical string under the secret. */
export const computeSignature = (canonical: string, secret: string): string =>
  createHmac('sha256', Buffer.from(secret, 'utf8')).update(canonical, 'utf8').digest('base64url');

// --- signing ---------------------------------------------------------------------------------------

export interface SigningOptions {
  clientId: string;
  secret: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  /** Defaults to 16 random bytes, base64url. */
  nonce?: string;
}

/** Signs a request; the caller sends `authorization` as the Authorization header. */
export function signRequest(
  request: SignableRequest,
  options: SigningOptions,
): { authorization: string; timestamp: number; nonce: string } {
  const { clientId, secret } = options;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const nonce = options.nonce ?? randomToken(16);
  if (!KEY_PATTERN.test(clientId)) throw new TypeError('The client id cannot be carried in the header.');
  if (!TS_PATTERN.test(String(timestamp)))
    throw new TypeError('The timestamp must be whole non-negative Unix seconds.');
  if (!NONCE_PATTERN.test(nonce)) throw new TypeError('The nonce must be 16–64 characters of [A-Za-z0-9_-].');
  const signature = computeSignature(canonicalString(request, { clientId, timestamp, nonce }), secret);
  return {
    authorization: `${SIGNATURE_SCHEME} key="${clientId}", ts="${timestamp}", nonce="${nonce}", sig="${signature}"`,
    timestamp,
    nonce,
  };
}

// --- parsing ---------------------------------------------------------------------------------------

const SCHEME_PREFIX = /^[ \t]*Portico-HMAC-SHA256[ \t]+/iy;
const PARAM = /[ \t]*([A-Za-z]+)[ \t]*=[ \t]*"([^"\\]*)"[ \t]*(,|$)/y;

/** Reads the Authorization header; undefined for anything malformed. Never throws. */
export function parseSignatureHeader(value: string): ParsedSignature | undefined {
  if (typeof value !== 'string' || value.length > MAX_HEADER_LENGTH) return undefined;
  SCHEME_PREFIX.lastIndex = 0;
  if (!SCHEME_PREFIX.test(value)) return undefined;
  const params = new Map<string, string>();
  let position = SCHEME_PREFIX.lastIndex;
  while (position < value.length) {
    PARAM.lastIndex = position;
    const match = PARAM.exec(value);
    if (!match) return undefined;
    const name = match[1]!.toLowerCase();
    if (params.has(name)) return undefined;
    params.set(name, match[2]!);
    position = PARAM.lastIndex;
    if (match[3] === ',' && position >= value.length) return undefined; // a trailing comma
  }
  if (params.size !== 4) return undefined;
  const clientId = params.get('key');
  const ts = params.get('ts');
  const nonce = params.get('nonce');
  const signature = params.get('sig');
  if (clientId === undefined || !KEY_PATTERN.test(clientId)) return undefined;
  if (ts === undefined || !TS_PATTERN.test(ts)) return undefined;
  if (nonce === undefined || !NONCE_PATTERN.test(nonce)) return undefined;
  if (signature === undefined || !SIG_PATTERN.test(signature)) return undefined;
  return { clientId, timestamp: Number(ts), nonce, signature };
}

// --- verification ----------------------------------------------------------------------------------

const failure = (reason: SignatureFailureReason, detail: string): DomainError =>
  new DomainError('unauthorized', detail, { reason }, { challenge: SIGNATURE_SCHEME });

/**
 * Verifies a signed request and returns the client it comes from. Throws a 401 DomainError with
 * `reason` malformed, stale-timestamp, unknown-key, bad-signature or replayed-nonce. The nonce is
 * recorded only for a request whose signature matched, so forged requests cannot burn nonces.
 */
export async function verifySignedRequest(
  request: SignableRequest,
  authorizationHeader: string | undefined,
  deps: VerifyDeps,
  now: Date,
): Promise<{ clientId: string }> {
  const window = deps.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  if (!Number.isFinite(window) || window < 0)
    throw new RangeError('windowSeconds must be a non-negative number of seconds.');

  if (authorizationHeader === undefined || authorizationHeader === '')
    throw failure('malformed', `The request carries no ${SIGNATURE_SCHEME} Authorization header.`);
  const parsed = parseSignatureHeader(authorizationHeader);
  if (!parsed)
    throw failure('malformed', `The Authorization header is not a valid ${SIGNATURE_SCHEME} signature.`);
  const { clientId, timestamp, nonce, signature } = parsed;

  if (!(Math.abs(now.getTime() / 1000 - timestamp) <= window))
    throw failure('stale-timestamp', `The signature time is more than ${window} seconds away from now.`);

  let canonical: string;
  try {
    canonical = canonicalString(request, { clientId, timestamp, nonce });
  } catch (error) {
    if (error instanceof MalformedRequestError)
      throw failure('malformed', 'The request path, query or form body holds a malformed percent-escape.');
    throw error;
  }

  const secrets = await deps.secretsFor(clientId);
  if (secrets.length === 0) throw failure('unknown-key', 'The key is unknown or disabled.');

  const given = Buffer.from(signature, 'ascii');
  let matched = 0;
  for (const secret of secrets) {
    const expected = Buffer.from(computeSignature(canonical, secret), 'ascii');
    // Both are 43 ASCII characters (checked when parsing); every candidate is compared.
    matched |= expected.length === given.length && timingSafeEqual(expected, given) ? 1 : 0;
  }
  if (matched !== 1) throw failure('bad-signature', 'The signature does not match the request.');

  const expiresAt = new Date((timestamp + window + NONCE_GRACE_SECONDS) * 1000);
  if (!(await deps.nonces.remember(clientId, nonce, expiresAt)))
    throw failure('replayed-nonce', 'This nonce was already used; sign every request with a new one.');
  return { clientId };
}
