import { ProblemError } from './problem.ts';
import { readQuery } from './query.ts';
import { type HttpEvent, header } from './types.ts';

/** Bodies above this are refused before parsing; API Gateway itself caps payloads at 10 MB. */
export const MAX_BODY_BYTES = 1024 * 1024;

function mediaType(event: HttpEvent): string | undefined {
  return header(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
}

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

/** Parses a JSON object body; anything else is the caller's fault (415 or 400), never ours. */
export function readJsonObject(event: HttpEvent): Record<string, unknown> {
  requireMediaType(event, ['application/json']);
  const text = rawBody(event).toString('utf8');
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
  return readQuery(rawBody(event).toString('utf8'));
}
