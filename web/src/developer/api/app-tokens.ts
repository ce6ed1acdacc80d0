import type { AppToken } from './my-apps.ts';

/** A token this close to expiry is not used for a new call. */
const MARGIN_MS = 30_000;

interface Cached {
  token: string;
  expiresAt: number;
}

/**
 * Production tokens of the developer's apps, with which the portal calls the app-facing APIs on an
 * app's behalf. Kept in memory per app until shortly before they expire; concurrent asks share a request.
 */
export class AppTokens {
  private readonly cache = new Map<string, Cached>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    private readonly fetchToken: (appId: string) => Promise<AppToken>,
    private readonly now: () => number = Date.now,
  ) {}

  async tokenFor(appId: string): Promise<string> {
    const cached = this.cache.get(appId);
    if (cached && cached.expiresAt - MARGIN_MS > this.now()) return cached.token;
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
