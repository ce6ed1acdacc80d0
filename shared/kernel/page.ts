import { DomainError } from './errors.ts';

/** One page of a listing. */
export interface Page<T> {
  items: T[];
  /** Opaque; pass back as `cursor` for the next page. */
  next?: string;
}

/** A validated page request (see `pageParams` in shared/http/query.ts). */
export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** A cursor that is not one the listing handed out (malformed, forged, or another listing's). */
export class InvalidCursorError extends RangeError {
  override name = 'InvalidCursorError';
}

/** Runs a listing, answering a cursor it did not hand out as the caller's 400. */
export async function paged<T>(run: () => Promise<Page<T>>): Promise<Page<T>> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw new DomainError('bad-request', 'The cursor is not one this API returned.');
    }
    throw error;
  }
}
