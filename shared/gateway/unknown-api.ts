import { DomainError } from '../kernel/errors.ts';

/** The refusal of a name no API is registered as (or of a draft, to third parties); the name is cut to 64 characters. */
export const unknownApi = (name: string) =>
  new DomainError('unknown-api', `No API is registered as "${name.slice(0, 64)}".`);
