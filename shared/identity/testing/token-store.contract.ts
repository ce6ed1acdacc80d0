import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from '../../kernel/page.ts';
import { epochSeconds } from '../../kernel/time.ts';
import type { TokenStore } from '../ports.ts';
import type { AccessTokenRecord, Revocation } from '../token-records.ts';

const T0 = Date.UTC(2030, 0, 1);
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const S0 = epochSeconds(T0);
const HOUR = 3_600;
const DAY = 86_400;

const unique = (prefix: string) => `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;

const aToken = (appId: string, overrides: Partial<AccessTokenRecord> = {}): AccessTokenRecord => ({
  jti: unique('jti'),
  appId,
  clientId: `ak_${appId}`,
  subject: appId,
  scope: 'orders:read',
  grant: 'client_credentials',
  issuedAt: S0,
  expiresAt: S0 + HOUR,
  ...overrides,
});

/** Every item of a paged listing, following `next` to the end; checks each page's size on the way. */
async function allPages(store: TokenStore, appId: string, now: Date, limit: number) {
  const items: AccessTokenRecord[] = [];
  let cursor: string | undefined;
  for (let pages = 0; ; pages++) {
    if (pages > 100) throw new Error('the listing never ends');
    const page = await store.pageAccessTokens(appId, now, { limit, ...(cursor ? { cursor } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    if (!page.next) return items;
    cursor = page.next;
  }
}

const byJti = (a: { jti: string }, b: { jti: string }) => (a.jti < b.jti ? -1 : a.jti > b.jti ? 1 : 0);
/** Entries of one instant in a fixed order (the feed orders entries of the same instant as it likes). */
const sorted = (entries: Revocation[]) => {
  const id = (e: Revocation) => (e.kind === 'token' ? `token:${e.jti}` : `app:${e.appId}`);
  return [...entries].sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
};

/**
 * What every `TokenStore` must do (shared/identity/ports.ts). Times are in 2030 and passed as `now`, so
 * expiry is checked on read (the store may still hold expired records: TTL deletion is lazy).
 */
export function tokenStoreContract(name: string, setup: () => Promise<TokenStore>): void {
  describe(`TokenStore contract: ${name}`, () => {
    describe('access-token records', () => {
      it('reads back a recorded token by app and jti, and nothing under another app', async () => {
        const store = await setup();
        const token = aToken(unique('app'), { familyId: 'fam_1', grant: 'refresh_token' });
        await store.recordAccessToken(token);
        expect(await store.getAccessToken(token.appId, token.jti)).toEqual(token);
        expect(await store.getAccessToken(unique('app'), token.jti)).toBeUndefined();
        expect(await store.getAccessToken(token.appId, unique('jti'))).toBeUndefined();
      });

      it("lists an app's unexpired tokens only, whatever else the store holds", async () => {
        const store = await setup();
        const appId = unique('app');
        const [hour, twoHours] = [aToken(appId), aToken(appId, { expiresAt: S0 + 2 * HOUR })];
        const expired = aToken(appId, { expiresAt: S0 + 60 });
        for (const t of [hour, twoHours, expired, aToken(unique('app'))]) await store.recordAccessToken(t);
        expect((await store.listAccessTokens(appId, at(60))).sort(byJti)).toEqual(
          [hour, twoHours].sort(byJti),
        );
        // At the expiry instant a token is expired.
        expect(await store.listAccessTokens(appId, at(HOUR))).toEqual([twoHours]);
        expect(await store.listAccessTokens(unique('app'), at(0))).toEqual([]);
      });
    });

    describe('paging', () => {
      it('hands out every unexpired token exactly once across pages, each page at most `limit`', async () => {
        const store = await setup();
        const appId = unique('app');
        const tokens = Array.from({ length: 9 }, (_, i) =>
          aToken(appId, { expiresAt: i % 3 === 0 ? S0 + 30 : S0 + HOUR }),
        );
        for (const t of tokens) await store.recordAccessToken(t);
        await store.recordAccessToken(aToken(unique('app')));
        const live = tokens.filter((t) => t.expiresAt > S0 + 60).sort(byJti);
        for (const limit of [1, 2, 4, 50]) {
          const items = await allPages(store, appId, at(60), limit);
          expect(items.sort(byJti)).toEqual(live);
        }
      });

      it('ends with a page without `next` for an app without tokens', async () => {
        const store = await setup();
        expect(await allPages(store, unique('app'), at(0), 5)).toEqual([]);
      });

      it("refuses another app's cursor, and a malformed one, with InvalidCursorError", async () => {
        const store = await setup();
        const [a, b] = [unique('app'), unique('app')];
        for (const appId of [a, a, a, b, b, b]) await store.recordAccessToken(aToken(appId));
        const first = await store.pageAccessTokens(a, at(0), { limit: 1 });
        expect(first.next).toBeDefined();
        await expect(store.pageAccessTokens(b, at(0), { limit: 1, cursor: first.next! })).rejects.toThrow(
          InvalidCursorError,
        );
        await expect(store.pageAccessTokens(a, at(0), { limit: 1, cursor: 'not-a-cursor' })).rejects.toThrow(
          InvalidCursorError,
        );
        // The cursor still works for its own listing.
        const second = await store.pageAccessTokens(a, at(0), { limit: 1, cursor: first.next! });
        expect(second.items).toHaveLength(1);
        expect(second.items[0]!.jti).not.toBe(first.items[0]!.jti);
      });
    });

    describe('revocation', () => {
      it('marks tokens revoked once (the first time stays), and tolerates unknown tokens', async () => {
        const store = await setup();
        const appId = unique('app');
        const [a, b] = [aToken(appId), aToken(appId)];
        await store.recordAccessToken(a);
        await store.recordAccessToken(b);
        const ghost = aToken(appId);
        await store.revokeAccessTokens([a, ghost], at(10));
        await store.revokeAccessTokens([a], at(20));
        expect(await store.getAccessToken(appId, a.jti)).toEqual({ ...a, revokedAt: at(10).toISOString() });
        expect((await store.getAccessToken(appId, b.jti))?.revokedAt).toBeUndefined();
        expect(await store.getAccessToken(appId, ghost.jti)).toBeUndefined();
      });

      it('revokes every token of an app issued up to now: appNotBefore, per app, last call wins', async () => {
        const store = await setup();
        const [a, b] = [unique('app'), unique('app')];
        expect(await store.appNotBefore(a)).toBeUndefined();
        await store.revokeAllForApp(a, at(100.9));
        expect(await store.appNotBefore(a)).toBe(S0 + 100);
        expect(await store.appNotBefore(b)).toBeUndefined();
        await store.revokeAllForApp(a, at(200));
        expect(await store.appNotBefore(a)).toBe(S0 + 200);
      });
    });

    describe('revocation feed', () => {
      it('publishes token and app revocations, oldest first, and continues after its cursor', async () => {
        const store = await setup();
        const appId = unique('app');
        const [t1, t2, t3] = [aToken(appId), aToken(appId), aToken(appId)];
        for (const t of [t1, t2, t3]) await store.recordAccessToken(t);
        expect(await store.revocationsSince(undefined, at(0))).toEqual({ entries: [], cursor: undefined });

        await store.revokeAccessTokens([t1], at(10));
        await store.revokeAllForApp(appId, at(20));
        const first = await store.revocationsSince(undefined, at(20));
        const expectedFirst: Revocation[] = [
          { kind: 'token', jti: t1.jti, appId, at: at(10).toISOString() },
          { kind: 'app', appId, notBefore: S0 + 20, at: at(20).toISOString() },
        ];
        expect(first.entries).toEqual(expectedFirst);
        expect(first.cursor).toBeDefined();

        // Nothing new: no entries, and a cursor that still works.
        const idle = await store.revocationsSince(first.cursor, at(25));
        expect(idle.entries).toEqual([]);

        await store.revokeAccessTokens([t2, t3], at(30));
        const second = await store.revocationsSince(idle.cursor, at(30));
        expect(sorted(second.entries)).toEqual(
          sorted([t2, t3].map((t) => ({ kind: 'token', jti: t.jti, appId, at: at(30).toISOString() }))),
        );
        expect((await store.revocationsSince(second.cursor, at(30))).entries).toEqual([]);

        // From the first cursor again: exactly what came after it.
        expect((await store.revocationsSince(first.cursor, at(30))).entries).toHaveLength(2);
        // Without a cursor: every live entry.
        expect((await store.revocationsSince(undefined, at(30))).entries).toHaveLength(4);
      });

      it('orders entries by when they were revoked, not by when they were written', async () => {
        const store = await setup();
        const appId = unique('app');
        const [late, early] = [aToken(appId), aToken(appId)];
        await store.revokeAccessTokens([late], at(50));
        await store.revokeAccessTokens([early], at(40));
        const { entries } = await store.revocationsSince(undefined, at(60));
        expect(entries.map((e) => e.kind === 'token' && e.jti)).toEqual([early.jti, late.jti]);
      });

      it('drops token entries once the token has expired, and app entries after the longest token life', async () => {
        const store = await setup();
        const appId = unique('app');
        const short = aToken(appId, { expiresAt: S0 + 60 });
        const long = aToken(appId, { expiresAt: S0 + 2 * HOUR });
        await store.revokeAccessTokens([short, long], at(10));
        await store.revokeAllForApp(appId, at(10));
        const jtis = async (seconds: number) =>
          (await store.revocationsSince(undefined, at(seconds))).entries.map((e) =>
            e.kind === 'token' ? e.jti : `app:${e.appId}`,
          );
        expect((await jtis(59)).sort()).toEqual([short.jti, long.jti, `app:${appId}`].sort());
        // At its expiry instant, the short token's entry is no longer live; the rest still are.
        expect((await jtis(60)).sort()).toEqual([long.jti, `app:${appId}`].sort());
        expect(await jtis(3 * HOUR)).toEqual([`app:${appId}`]);
        expect(await jtis(2 * DAY)).toEqual([]);
      });
    });

    describe('limited tokens', () => {
      it('counts uses up to maxUses, then refuses', async () => {
        const store = await setup();
        const token = aToken(unique('app'), { maxUses: 2, uses: 0 });
        await store.recordAccessToken(token);
        expect(await store.countUse(token.appId, token.jti)).toBe(true);
        expect(await store.countUse(token.appId, token.jti)).toBe(true);
        expect(await store.countUse(token.appId, token.jti)).toBe(false);
        expect(await store.countUse(token.appId, token.jti)).toBe(false);
        expect((await store.getAccessToken(token.appId, token.jti))?.uses).toBe(2);
      });

      it('refuses a revoked token and an unknown one', async () => {
        const store = await setup();
        const token = aToken(unique('app'), { maxUses: 5, uses: 0 });
        await store.recordAccessToken(token);
        expect(await store.countUse(token.appId, token.jti)).toBe(true);
        await store.revokeAccessTokens([token], at(10));
        expect(await store.countUse(token.appId, token.jti)).toBe(false);
        expect(await store.countUse(token.appId, unique('jti'))).toBe(false);
        expect(await store.countUse(unique('app'), token.jti)).toBe(false);
      });
    });
  });
}
