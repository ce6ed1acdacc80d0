import { AppTokenCache } from '../api/app-token-cache.ts';
import { fetchSandboxToken } from '../api/me.ts';
import { currentTokens, subscribeTokens } from '../auth/token-store.ts';

/** The page's sandbox tokens: they belong to the signed-in developer, so signing out forgets them. */
/** A try-it call needs its token for a moment: 10 s of margin. */
export const sandboxTokens = new AppTokenCache(fetchSandboxToken, 10_000);

subscribeTokens(() => {
  if (!currentTokens()) sandboxTokens.forget();
});
