import { AppTokenCache } from '../../api/app-token-cache.ts';
import { currentTokens, subscribeTokens } from '../../auth/token-store.ts';
import { appFetcher } from './app-fetch.ts';
import { fetchAppToken } from './my-apps.ts';

/** The app tokens of whoever is signed in: forgotten when they sign out. */
/** A page may make several calls with one token: 30 s of margin. */
export const appTokens = new AppTokenCache(fetchAppToken, 30_000);

subscribeTokens(() => {
  if (!currentTokens()) appTokens.forget();
});

export const appFetch = appFetcher(appTokens);
