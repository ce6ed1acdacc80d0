import { DomainError } from './errors.ts';

/** A write made over a revision that is no longer the stored one (another writer won). */
export class RevisionConflictError extends Error {
  override name = 'RevisionConflictError';
}

/** `If-Match: "<revision>"` as a number; absent means the write is unconditional. */
export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,12})"?\s*$/.exec(value);
  if (!match) throw new DomainError('bad-request', 'If-Match must name a revision, e.g. If-Match: "3".');
  return Number(match[1]);
}
