import { currentTokens, subscribeTokens } from '../../auth/token-store.ts';
import { appFetcher } from './app-fetch.ts';
import { AppTokens } from './app-tokens.ts';
import { fetchAppToken } from './my-apps.ts';

/** The app tokens of whoever is signed in: forgotten when they sign out. */
export const appTokens = new AppTokens(fetchAppToken);

subscribeTokens(() => {
  if (!currentTokens()) appTokens.forget();
});

export const appFetch = appFetcher(appTokens);
