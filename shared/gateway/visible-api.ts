import { DomainError } from '../kernel/errors.ts';
import { API_NAME_PATTERN } from './api-definition.ts';
import type { ApiLifecycle } from './lifecycle.ts';
import { unknownApi } from './unknown-api.ts';

const API_NAME = new RegExp(API_NAME_PATTERN);

/**
 * The API third parties reach under `name`, looked up with `get` (a name that cannot be an API's is
 * not looked up): none, or a draft, is `unknown-api` (the same answer as a name nobody registered), a
 * retired one `gone`; published and deprecated APIs are there.
 */
export async function findVisibleApi<T extends { lifecycle?: ApiLifecycle }>(
  get: (name: string) => Promise<T | undefined>,
  name: string,
): Promise<T> {
  const api = API_NAME.test(name) ? await get(name) : undefined;
  if (!api || api.lifecycle?.status === 'draft') throw unknownApi(name);
  if (api.lifecycle?.status === 'retired')
    throw new DomainError(
      'gone',
      `The API "${name}" was retired${api.lifecycle.retiredAt ? ` on ${api.lifecycle.retiredAt}` : ''}.`,
    );
  return api;
}
