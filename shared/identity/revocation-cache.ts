import { STALE_VIEW_WAIT_MS, settleWithin } from '../cache.ts';
import type { TokenStore } from './ports.ts';
import type { VerifiedToken } from './tokens.ts';

/** How often a resource server reads the revocation feed: a revocation is honoured everywhere within this. */
export const REVOCATION_REFRESH_MS = 5_000;

/** The longest a revoked token, or a disabled app or developer, may still be accepted: the refresh plus one read. */
export const REVOCATION_PROPAGATION_SECONDS = REVOCATION_REFRESH_MS / 1000 + 1;

/** After a failed read of the feed, the next one is not tried before this. */
const RETRY_AFTER_FAILURE_MS = 1_000;

/**
 * Follows the revocation feed so verifiers can reject revoked tokens without a store read per request:
 * one incremental query every `refreshMs` at most, so a revocation takes effect everywhere within that.
 *
 * A slow or failing feed never holds a request long: requests wait for a due read until `staleWaitMs`
 * after it started and are then answered from the last view; while the feed keeps failing, requests do not
 * wait at all and it is read again in the background at most every second. A cold instance has no
 * view: it waits for the first read and fails with it.
 */
export class RevocationCache {
  private readonly revokedTokens = new Map<string, number>();
  private readonly appNotBefore = new Map<string, number>();
  private cursor: string | undefined;
  private loadedAt = Number.NEGATIVE_INFINITY;
  private inflight: Promise<void> | undefined;
  private inflightSince = 0;
  private failure: { error: unknown; retryAt: number } | undefined;

  constructor(
    private readonly store: Pick<TokenStore, 'revocationsSince'>,
    private readonly refreshMs = REVOCATION_REFRESH_MS,
    private readonly clock: () => number = Date.now,
    private readonly staleWaitMs = STALE_VIEW_WAIT_MS,
  ) {}

  private async refresh(): Promise<void> {
    const now = new Date(this.clock());
    const { entries, cursor } = await this.store.revocationsSince(this.cursor, now);
    for (const entry of entries) {
      if (entry.kind === 'token') this.revokedTokens.set(entry.jti, Date.parse(entry.at));
      else
        this.appNotBefore.set(
          entry.appId,
          Math.max(entry.notBefore, this.appNotBefore.get(entry.appId) ?? 0),
        );
    }
    this.cursor = cursor;
    this.loadedAt = this.clock();
  }

  private async fresh(): Promise<void> {
    if (this.clock() - this.loadedAt < this.refreshMs) return;
    const loaded = this.loadedAt !== Number.NEGATIVE_INFINITY;
    if (this.failure && this.clock() < this.failure.retryAt) {
      if (loaded) return;
      throw this.failure.error;
    }
    if (!this.inflight) this.inflightSince = this.clock();
    this.inflight ??= this.refresh()
      .then(
        () => {
          this.failure = undefined;
        },
        (error: unknown) => {
          this.failure = { error, retryAt: this.clock() + RETRY_AFTER_FAILURE_MS };
          throw error;
        },
      )
      .finally(() => {
        this.inflight = undefined;
      });
    if (loaded) {
      // A feed already failing is not waited for at all; a healthy one briefly.
      const wait = this.failure ? 0 : this.inflightSince + this.staleWaitMs - this.clock();
      await settleWithin(this.inflight, wait);
      return;
    }
    await this.inflight;
  }

  /** Whether every token of the app issued at or before `atMs` was revoked (a disabled or deleted app). */
  async isAppRevokedAfter(appId: string, atMs: number): Promise<boolean> {
    await this.fresh();
    const notBefore = this.appNotBefore.get(appId);
    return notBefore !== undefined && notBefore * 1000 >= Math.floor(atMs / 1000) * 1000;
  }

  async isRevoked(token: Pick<VerifiedToken, 'jti' | 'app_id' | 'iat'>): Promise<boolean> {
    await this.fresh();
    if (token.jti && this.revokedTokens.has(token.jti)) return true;
    const notBefore = this.appNotBefore.get(token.app_id);
    return notBefore !== undefined && (token.iat ?? 0) <= notBefore;
  }
}
