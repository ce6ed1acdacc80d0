/**
 * The signed-in user's tokens, in this module's memory only: never in localStorage or sessionStorage,
 * so a script that reads storage finds nothing, and a reload signs the user out.
 */

/** What `/oauth2/token` answers. */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  scope?: string;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string | undefined;
  /** Epoch milliseconds. */
  expiresAt: number;
  scope: string;
}

export function tokensFrom(response: TokenResponse, now: number, previous?: Tokens): Tokens {
  return {
    accessToken: response.access_token,
    // A refresh answer without a new refresh token keeps the one it was asked with.
    refreshToken: response.refresh_token ?? previous?.refreshToken,
    expiresAt: now + response.expires_in * 1000,
    scope: response.scope ?? previous?.scope ?? '',
  };
}

/** When to refresh: a minute before expiry, or at four fifths of a short lifetime. */
export function refreshDelayMs(tokens: Tokens, now: number): number {
  const remaining = tokens.expiresAt - now;
  return Math.max(0, remaining - Math.min(60_000, remaining / 5));
}

let tokens: Tokens | undefined;
const listeners = new Set<() => void>();

export const currentTokens = (): Tokens | undefined => tokens;
export const currentAccessToken = (): string | undefined => tokens?.accessToken;

export function storeTokens(next: Tokens | undefined): void {
  tokens = next;
  for (const listener of listeners) listener();
}

/** For useSyncExternalStore: called on every change, returns the unsubscribe. */
export function subscribeTokens(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
