import { isDomainError } from '../errors.ts';

/** The DomainError code `fn` throws, `none` when it returns; anything else it throws is rethrown. */
export function errorCodeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isDomainError(error)) return error.code;
    throw error;
  }
  return 'none';
}
