import type { AppTokenCache } from '../../api/app-token-cache.ts';
import { ApiError, type ApiRequest, apiFetch } from '../../api/client.ts';

export type AppFetch = <T>(appId: string, path: string, request?: ApiRequest) => Promise<T>;

/**
 * Calls an app-facing API as one of the developer's apps: with the app's token instead of the person's.
 * A refused token (revoked, or the app's scopes changed) is replaced once.
 */
export function appFetcher(
  tokens: Pick<AppTokenCache, 'tokenFor' | 'forget'>,
  fetchJson = apiFetch,
): AppFetch {
  return async <T>(appId: string, path: string, request: ApiRequest = {}) => {
    const call = async () => {
      const headers = new Headers(request.headers);
      headers.set('authorization', `Bearer ${await tokens.tokenFor(appId)}`);
      return fetchJson<T>(path, { ...request, headers, anonymous: true });
    };
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      tokens.forget(appId);
      return call();
    }
  };
}
