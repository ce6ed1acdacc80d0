import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { epochSeconds } from '../../kernel/time.ts';
import type { RefreshTokenStore } from '../ports.ts';
import type { RefreshTokenRecord } from '../token-records.ts';

const T0 = Date.UTC(2030, 0, 1);
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const S0 = epochSeconds(T0);
const DAY = 86_400;

const unique = (prefix: string) => `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;

const aRecord = (overrides: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord => {
  const appId = overrides.appId ?? unique('app');
  return {
    hash: unique('rt'),
    familyId: unique('fam'),
    appId,
    clientId: `ak_${appId}`,
    subject: 'user-1',
    innerId: 'inner-1',
    scope: 'orders:read offline_access',
    status: 'active',
    createdAt: at(0).toISOString(),
    expiresAt: S0 + 30 * DAY,
    ...overrides,
  };
};

/** The successor a token endpoint would store: same family, new hash, active. */
const successorOf = (previous: RefreshTokenRecord, seconds: number): RefreshTokenRecord => ({
  ...previous,
  hash: unique('rt'),
  status: 'active',
  createdAt: at(seconds).toISOString(),
  expiresAt: S0 + seconds + 30 * DAY,
});

/** Whatever successors a refused rotation produced, none was stored. */
async function expectNoneStored(store: RefreshTokenStore, made: RefreshTokenRecord[]) {
  for (const successor of made) expect(await store.get(successor.hash)).toBeUndefined();
}

/** A `next` callback that remembers what it produced (a store may call it before its write fails). */
function successors(seconds: number) {
  const made: RefreshTokenRecord[] = [];
  const next = (previous: RefreshTokenRecord) => {
    const successor = successorOf(previous, seconds);
    made.push(successor);
    return successor;
  };
  return { next, made };
}

/**
 * What every `RefreshTokenStore` must do (shared/identity/ports.ts): rotation marks a token used and
 * stores its successor at once, only while the token is active, unexpired and its family alive.
 * Expiry is checked against the `now` passed (the store may still hold expired records).
 */
export function refreshTokenStoreContract(name: string, setup: () => Promise<RefreshTokenStore>): void {
  describe(`RefreshTokenStore contract: ${name}`, () => {
    it('reads back a saved token by hash; an unknown hash is undefined', async () => {
      const store = await setup();
      const record = aRecord();
      await store.save(record);
      expect(await store.get(record.hash)).toEqual(record);
      expect(await store.get(unique('rt'))).toBeUndefined();
      expect(await store.isFamilyRevoked(record.appId, record.familyId)).toBe(false);
    });

    it('rotates an active token: reports it as it was, marks it used and stores the successor', async () => {
      const store = await setup();
      const record = aRecord();
      await store.save(record);
      const { next, made } = successors(60);
      expect(await store.rotate(record.hash, next, at(60))).toEqual({ outcome: 'rotated', previous: record });
      expect(made).toHaveLength(1);
      expect(await store.get(record.hash)).toMatchObject({ ...record, status: 'used' });
      expect(await store.get(made[0]!.hash)).toEqual(made[0]);

      // The successor rotates in turn.
      const again = successors(120);
      expect(await store.rotate(made[0]!.hash, again.next, at(120))).toEqual({
        outcome: 'rotated',
        previous: made[0],
      });
    });

    it('reports a second use of a token as reused, and stores no successor for it', async () => {
      const store = await setup();
      const record = aRecord();
      await store.save(record);
      await store.rotate(record.hash, successors(60).next, at(60));
      const replay = successors(90);
      const result = await store.rotate(record.hash, replay.next, at(90));
      expect(result.outcome).toBe('reused');
      expect(result.outcome === 'reused' && result.previous).toMatchObject({ ...record, status: 'used' });
      await expectNoneStored(store, replay.made);
    });

    it('refuses an unknown hash and an expired token as invalid', async () => {
      const store = await setup();
      const unknown = successors(0);
      expect(await store.rotate(unique('rt'), unknown.next, at(0))).toEqual({ outcome: 'invalid' });
      await expectNoneStored(store, unknown.made);

      const record = aRecord({ expiresAt: S0 + 100 });
      await store.save(record);
      // Expired at its expiry instant, though the store still holds it.
      expect(await store.rotate(record.hash, successors(100).next, at(100))).toEqual({ outcome: 'invalid' });
      expect(await store.get(record.hash)).toEqual(record);
      expect((await store.rotate(record.hash, successors(99).next, at(99))).outcome).toBe('rotated');
    });

    it('refuses a used token once it has expired as invalid, not reused', async () => {
      const store = await setup();
      const record = aRecord({ expiresAt: S0 + 100 });
      await store.save(record);
      await store.rotate(record.hash, successors(10).next, at(10));
      expect(await store.rotate(record.hash, successors(200).next, at(200))).toEqual({ outcome: 'invalid' });
    });

    it('refuses every token of a revoked family as invalid', async () => {
      const store = await setup();
      const record = aRecord();
      await store.save(record);
      const { next, made } = successors(60);
      await store.rotate(record.hash, next, at(60));
      await store.revokeFamily(record.appId, record.familyId, at(70));
      expect(await store.isFamilyRevoked(record.appId, record.familyId)).toBe(true);
      const late = successors(80);
      expect(await store.rotate(made[0]!.hash, late.next, at(80))).toEqual({ outcome: 'invalid' });
      await expectNoneStored(store, late.made);
      expect((await store.get(made[0]!.hash))?.status).toBe('active');
      // Revoking again changes nothing.
      await store.revokeFamily(record.appId, record.familyId, at(90));
      expect(await store.isFamilyRevoked(record.appId, record.familyId)).toBe(true);
    });

    it("revokes only the named family of the named app (another app's family of that id lives)", async () => {
      const store = await setup();
      const familyId = unique('fam');
      const mine = aRecord({ familyId });
      const theirs = aRecord({ familyId });
      const sibling = aRecord({ appId: mine.appId });
      for (const r of [mine, theirs, sibling]) await store.save(r);
      await store.revokeFamily(mine.appId, familyId, at(10));
      expect(await store.isFamilyRevoked(mine.appId, familyId)).toBe(true);
      expect(await store.isFamilyRevoked(theirs.appId, familyId)).toBe(false);
      expect(await store.isFamilyRevoked(sibling.appId, sibling.familyId)).toBe(false);
      expect((await store.rotate(theirs.hash, successors(20).next, at(20))).outcome).toBe('rotated');
      expect((await store.rotate(sibling.hash, successors(20).next, at(20))).outcome).toBe('rotated');
      expect(await store.rotate(mine.hash, successors(20).next, at(20))).toEqual({ outcome: 'invalid' });
    });

    it('refuses to save a token into a family that exists, so a revoked family stays revoked', async () => {
      const store = await setup();
      const record = aRecord();
      await store.save(record);
      await store.revokeFamily(record.appId, record.familyId, at(10));
      const intruder = aRecord({ appId: record.appId, familyId: record.familyId });
      await expect(store.save(intruder)).rejects.toThrow();
      expect(await store.get(intruder.hash)).toBeUndefined();
      expect(await store.isFamilyRevoked(record.appId, record.familyId)).toBe(true);
    });

    it('counts a family it never saw as revoked (fails closed)', async () => {
      const store = await setup();
      expect(await store.isFamilyRevoked(unique('app'), unique('fam'))).toBe(true);
    });
  });
}
