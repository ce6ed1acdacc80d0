/** A token answer of the portal's app-token routes (sandbox for try-it, production for the app's pages). */
export interface IssuedAppToken {
  access_token: string;
  expires_in: number;
}

interface Cached {
  token: string;
  expiresAt: number;
}

/**
 * Tokens of the developer's apps, kept in memory per app until `marginMs` before they expire so that
 * each call does not mint a new one. Concurrent asks for one app share a request.
 */
export class AppTokenCache {
  private readonly cache = new Map<string, Cached>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    private readonly fetchToken: (appId: string) => Promise<IssuedAppToken>,
    private readonly marginMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async tokenFor(appId: string): Promise<string> {
    const cached = this.cache.get(appId);
    if (cached && cached.expiresAt - this.marginMs > this.now()) return cached.token;
    const inFlight = this.pending.get(appId);
    if (inFlight) return inFlight;
    const request = this.fetchToken(appId)
      .then((answer) => {
        this.cache.set(appId, {
          token: answer.access_token,
          expiresAt: this.now() + answer.expires_in * 1000,
        });
        return answer.access_token;
      })
      .finally(() => this.pending.delete(appId));
    this.pending.set(appId, request);
    return request;
  }

  /** Forgets one app's token (refused, or the app's scopes changed), or all of them (signed out). */
  forget(appId?: string): void {
    if (appId === undefined) this.cache.clear();
    else this.cache.delete(appId);
  }
}
