import { fetchSandboxToken } from '../api/me.ts';
import { currentTokens, subscribeTokens } from '../auth/token-store.ts';
import { SandboxTokens } from './sandbox-tokens.ts';

/** The page's sandbox tokens: they belong to the signed-in developer, so signing out forgets them. */
export const sandboxTokens = new SandboxTokens(fetchSandboxToken);

subscribeTokens(() => {
  if (!currentTokens()) sandboxTokens.forget();
});
