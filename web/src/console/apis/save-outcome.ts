import { ApiError, type FieldError } from '../../api/client.ts';

/** What a refused save means for the editor. */
export type SaveFailure =
  | { kind: 'invalid'; errors: FieldError[] }
  | { kind: 'stale' }
  | { kind: 'other'; error: unknown };

/**
 * A 400 with field errors is shown against the fields; a 409 or 412 means the revision read is no
 * longer the stored one (another write won); anything else is shown as the problem it is.
 */
export function saveFailureOf(error: unknown): SaveFailure {
  if (error instanceof ApiError) {
    if (error.status === 400 && error.errors.length > 0) return { kind: 'invalid', errors: error.errors };
    if (error.status === 409 || error.status === 412) return { kind: 'stale' };
  }
  return { kind: 'other', error };
}
