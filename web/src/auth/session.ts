import { authorizeUrl, readCallback, safeReturnPath } from './authorization-request.ts';
import { savePendingSignIn, takePendingSignIn } from './pending-sign-in.ts';
import { createPkcePair, randomToken } from './pkce.ts';
import { authorizationServerIssuer, exchangeCode, refreshTokens, revokeToken } from './token-endpoint.ts';
import {
  currentTokens,
  refreshDelayMs,
  storeTokens,
  type TokenResponse,
  type Tokens,
  tokensFrom,
} from './token-store.ts';

/** The user's session: signing in through the authorization server, keeping tokens fresh, signing out. */

let refreshTimer: ReturnType<typeof setTimeout> | undefined;

function keep(tokens: Tokens | undefined): void {
  clearTimeout(refreshTimer);
  refreshTimer = undefined;
  storeTokens(tokens);
  if (tokens?.refreshToken) refreshTimer = setTimeout(refreshNow, refreshDelayMs(tokens, Date.now()));
}

async function refreshNow(): Promise<void> {
  const current = currentTokens();
  if (!current?.refreshToken) return;
  let answer: TokenResponse;
  try {
    answer = await refreshTokens(current.refreshToken);
  } catch {
    // A refresh token refused (expired, revoked) ends the session; the user signs in again.
    if (currentTokens() === current) keep(undefined);
    return;
  }
  if (currentTokens() === current) keep(tokensFrom(answer, Date.now(), current));
}

/** Leaves for the authorization server; the callback brings the user back to `returnTo`. */
export async function startSignIn(returnTo: string): Promise<void> {
  const { verifier, challenge } = await createPkcePair();
  const state = randomToken();
  savePendingSignIn({ verifier, state, returnTo: safeReturnPath(returnTo) });
  window.location.assign(authorizeUrl({ origin: window.location.origin, challenge, state }));
}

let completing: { search: string; done: Promise<string> } | undefined;

/**
 * Exchanges the callback's code for tokens and resolves to the path to go back to; rejects with a
 * message for the user. The same callback asked twice (a re-rendered page) is completed once.
 */
export function completeSignIn(search: string): Promise<string> {
  if (completing?.search === search) return completing.done;
  const done = (async () => {
    const pending = takePendingSignIn();
    const origin = window.location.origin;
    const outcome = readCallback(search, {
      state: pending?.state,
      issuer: await authorizationServerIssuer(),
    });
    if (outcome.kind === 'error' || !pending) {
      throw new Error(outcome.kind === 'error' ? outcome.message : 'No sign-in is pending.');
    }
    keep(tokensFrom(await exchangeCode(outcome.code, pending.verifier, origin), Date.now()));
    return pending.returnTo;
  })();
  completing = { search, done };
  return done;
}

/** Revokes the refresh token (and with it the session's tokens), then forgets them. */
export async function signOut(): Promise<void> {
  const current = currentTokens();
  try {
    if (current?.refreshToken) await revokeToken(current.refreshToken);
  } catch {
    // Signing out must not fail: the tokens are forgotten whatever the server said.
  } finally {
    keep(undefined);
  }
}
