import { ProblemError } from './problem.ts';
import { readQuery } from './query.ts';
import { type HttpEvent, header } from './types.ts';

/** Bodies above this are refused before parsing; API Gateway itself caps payloads at 10 MB. */
export const MAX_BODY_BYTES = 1024 * 1024;

function mediaType(event: HttpEvent): string | undefined {
  return header(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function rawBody(event: HttpEvent): Buffer {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  const body = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (body.length > MAX_BODY_BYTES) {
    throw new ProblemError('payload-too-large', `The body may hold at most ${MAX_BODY_BYTES} bytes.`);
  }
  return body;
}

function requireMediaType(event: HttpEvent, accepted: string[]): void {
  const type = mediaType(event);
  if (!type || !accepted.includes(type)) {
    throw new ProblemError(
      'unsupported-media-type',
      `Send the body as ${accepted.join(' or ')}${type ? `, not ${type}` : ''}.`,
      {},
      { accept: accepted.join(', ') },
    );
  }
}

/**
 * The body as text. Bytes that are not UTF-8 are refused rather than replaced by U+FFFD, which would
 * store something the caller never sent. A body that arrived as text was decoded before the handler
 * saw it, so only a base64 body (binary content types, or text that is not UTF-8) can hold such bytes.
 */
export function textBody(event: HttpEvent): string {
  const bytes = rawBody(event);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ProblemError('malformed-body', 'The body is not valid UTF-8.');
  }
}

/** The body as text, sent as one of the `accepted` media types (415 otherwise). */
export function readTextAs(event: HttpEvent, accepted: string[]): string {
  requireMediaType(event, accepted);
  return textBody(event);
}

/** Parses a JSON object body; anything else is the caller's fault (415 or 400), never ours. */
export function readJsonObject(event: HttpEvent): Record<string, unknown> {
  requireMediaType(event, ['application/json']);
  const text = textBody(event);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ProblemError('malformed-body', 'The body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ProblemError('malformed-body', 'The body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

/**
 * Parses an application/x-www-form-urlencoded body (RFC 6749 requests). A parameter sent twice is
 * an error in OAuth (section 3.1), so duplicates are reported rather than silently merged.
 */
export function readForm(event: HttpEvent): { params: Map<string, string>; duplicates: string[] } {
  requireMediaType(event, ['application/x-www-form-urlencoded']);
  const text = textBody(event);
  if (text.includes('%') && !percentEncodesUtf8(text)) {
    throw new ProblemError('malformed-body', 'The form percent-encodes bytes that are not UTF-8.');
  }
  return readQuery(text);
}

/**
 * URLSearchParams turns percent-encoded bytes that are not UTF-8 into U+FFFD; decodeURIComponent
 * throws on them instead. A `%` not followed by two hex digits is a literal in a form, so it is
 * escaped first, leaving invalid UTF-8 as the only cause of a throw.
 */
function percentEncodesUtf8(text: string): boolean {
  for (const part of text.split(/[&=]/)) {
    try {
      decodeURIComponent(part.replace(/%(?![0-9a-fA-F]{2})/g, '%25'));
    } catch {
      return false;
    }
  }
  return true;
}
