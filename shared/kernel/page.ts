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
