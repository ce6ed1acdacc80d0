import { decodeCursor, encodeCursor } from '../../aws/dynamo-cursor.ts';
import type { PageRequest } from '../../kernel/page.ts';
import { epochSeconds } from '../../kernel/time.ts';
import type { FailureLimits } from '../adapters/dynamo-auth-failure-limiter.ts';
import {
  AlreadyExistsError,
  type AuthFailureLimiter,
  type AuthorizationStore,
  type RedeemResult,
  type RefreshTokenStore,
  type RotationResult,
  type TokenStore,
} from '../ports.ts';
import type {
  AccessTokenRecord,
  AuthorizationCodeRecord,
  AuthorizationRequest,
  RefreshTokenRecord,
  Revocation,
} from '../token-records.ts';

/** The longest an access token can live (seconds): an app-wide feed entry need not outlive it. */
const MAX_TOKEN_LIFETIME = 86_400;

/** In-memory token stores with the same semantics as the DynamoDB adapters: for unit tests and benchmarks. */
export class MemoryTokenStore implements TokenStore {
  readonly tokens = new Map<string, AccessTokenRecord>();
  /** The revocation feed, in feed order (`sk`); an entry is live until `expiresAt` (epoch seconds). */
  readonly feed: { sk: string; entry: Revocation; expiresAt: number }[] = [];
  private seq = 0;

  async recordAccessToken(record: AccessTokenRecord) {
    this.tokens.set(`${record.appId}/${record.jti}`, { ...record });
  }
  async getAccessToken(appId: string, jti: string) {
    const found = this.tokens.get(`${appId}/${jti}`);
    return found ? { ...found } : undefined;
  }
  async listAccessTokens(appId: string, now: Date) {
    return [...this.tokens.values()]
      .filter((t) => t.appId === appId && t.expiresAt > epochSeconds(now))
      .map((t) => ({ ...t }));
  }
  async pageAccessTokens(appId: string, now: Date, { limit, cursor }: PageRequest) {
    const scope = `tokens:APP#${appId}`;
    const after = decodeCursor(scope, cursor, ['pk', 'sk'], { pk: `APP#${appId}` })?.sk ?? '';
    const all = (await this.listAccessTokens(appId, now)).sort((a, b) => (a.jti < b.jti ? -1 : 1));
    const items = all.filter((t) => `TOKEN#${t.jti}` > after).slice(0, limit);
    const last = items.at(-1);
    const more = last !== undefined && all.at(-1) !== last;
    const next = more ? encodeCursor(scope, { pk: `APP#${appId}`, sk: `TOKEN#${last.jti}` }) : undefined;
    return { items, ...(next ? { next } : {}) };
  }
  async revokeAccessTokens(tokens: Pick<AccessTokenRecord, 'appId' | 'jti' | 'expiresAt'>[], now: Date) {
    for (const t of tokens) {
      const found = this.tokens.get(`${t.appId}/${t.jti}`);
      if (found) found.revokedAt ??= now.toISOString();
      this.push({ kind: 'token', jti: t.jti, appId: t.appId, at: now.toISOString() }, t.expiresAt);
    }
  }
  readonly notBefore = new Map<string, number>();
  async appNotBefore(appId: string) {
    return this.notBefore.get(appId);
  }
  async revokeAllForApp(appId: string, now: Date) {
    this.notBefore.set(appId, epochSeconds(now));
    this.push(
      { kind: 'app', appId, notBefore: epochSeconds(now), at: now.toISOString() },
      epochSeconds(now) + MAX_TOKEN_LIFETIME,
    );
  }
  /** Keeps the feed in `sk` order (by `at`, then by arrival), as the table's sort key orders it. */
  private push(entry: Revocation, expiresAt: number) {
    const item = { sk: `${entry.at}#${String(++this.seq).padStart(8, '0')}`, entry, expiresAt };
    let i = this.feed.length;
    while (i > 0 && this.feed[i - 1]!.sk > item.sk) i--;
    this.feed.splice(i, 0, item);
  }
  /** Live entries after `cursor`, oldest first; expired ones are skipped, as the table's readers skip them. */
  async revocationsSince(cursor: string | undefined, now: Date) {
    const after = this.feed.filter(
      (f) => (cursor === undefined || f.sk > cursor) && f.expiresAt > epochSeconds(now),
    );
    return { entries: after.map((f) => structuredClone(f.entry)), cursor: after.at(-1)?.sk ?? cursor };
  }
  async countUse(appId: string, jti: string) {
    const t = this.tokens.get(`${appId}/${jti}`);
    if (!t || t.revokedAt || (t.maxUses !== undefined && (t.uses ?? 0) >= t.maxUses)) return false;
    t.uses = (t.uses ?? 0) + 1;
    return true;
  }
}

const familyKey = (appId: string, familyId: string) => `${appId}/${familyId}`;

export class MemoryRefreshTokenStore implements RefreshTokenStore {
  readonly records = new Map<string, RefreshTokenRecord>();
  /** Families by `appId/familyId`, created by `save`: a family that was never saved counts as revoked. */
  readonly families = new Map<string, { revoked: boolean }>();

  /** Starts a family with its first token: a family that exists already is refused, as the adapter does. */
  async save(record: RefreshTokenRecord) {
    const id = familyKey(record.appId, record.familyId);
    if (this.families.has(id)) throw new AlreadyExistsError('refresh-token family exists');
    this.families.set(id, { revoked: false });
    this.records.set(record.hash, { ...record });
  }
  async get(hash: string) {
    const found = this.records.get(hash);
    return found ? { ...found } : undefined;
  }
  async rotate(
    hash: string,
    next: (p: RefreshTokenRecord) => RefreshTokenRecord,
    now: Date,
  ): Promise<RotationResult> {
    const stored = this.records.get(hash);
    if (!stored || stored.expiresAt <= epochSeconds(now)) return { outcome: 'invalid' };
    // `previous` is the record as it was before this rotation (as read from the table).
    const previous = { ...stored };
    if (stored.status === 'used') return { outcome: 'reused', previous };
    if (await this.isFamilyRevoked(stored.appId, stored.familyId)) return { outcome: 'invalid' };
    const successor = next({ ...previous });
    stored.status = 'used';
    this.records.set(successor.hash, { ...successor });
    return { outcome: 'rotated', previous };
  }
  async revokeFamily(appId: string, familyId: string) {
    this.families.set(familyKey(appId, familyId), { revoked: true });
  }
  async isFamilyRevoked(appId: string, familyId: string) {
    return this.families.get(familyKey(appId, familyId))?.revoked ?? true;
  }
}

export class MemoryAuthorizationStore implements AuthorizationStore {
  readonly requests = new Map<string, AuthorizationRequest>();
  readonly codes = new Map<string, AuthorizationCodeRecord>();

  async saveRequest(request: AuthorizationRequest) {
    this.requests.set(request.id, { ...request });
  }
  async getRequest(id: string, now: Date) {
    const found = this.requests.get(id);
    return found && found.expiresAt > epochSeconds(now) ? { ...found } : undefined;
  }
  async deleteRequest(id: string) {
    this.requests.delete(id);
  }
  /** A code is never overwritten (a used one would become redeemable again), as the adapter's conditional put. */
  async saveCode(code: AuthorizationCodeRecord) {
    if (this.codes.has(code.hash)) throw new AlreadyExistsError('authorization code exists');
    this.codes.set(code.hash, { ...code });
  }
  async redeemCode(hash: string, clientId: string, now: Date): Promise<RedeemResult> {
    const code = this.codes.get(hash);
    if (!code || code.clientId !== clientId) return { outcome: 'invalid' };
    if (code.usedAt) return { outcome: 'replayed', code: { ...code } };
    if (code.expiresAt <= epochSeconds(now)) return { outcome: 'invalid' };
    code.usedAt = now.toISOString();
    return { outcome: 'redeemed', code: { ...code } };
  }
  async setCodeFamily(hash: string, familyId: string) {
    const code = this.codes.get(hash);
    if (code) code.familyId = familyId;
  }
}

const minuteOf = (now: Date) => now.toISOString().slice(0, 16);

/**
 * DynamoAuthFailureLimiter's fixed one-minute windows of failures per client id and per source IP, in
 * memory; counts all failures in `failures` so tests can see them. By default it never blocks; a number
 * is the limit for both dimensions (`0` blocks every attempt).
 */
export class CountingFailureLimiter implements AuthFailureLimiter {
  failures = 0;
  private readonly limits: FailureLimits;
  /** Failures by dimension key and minute. */
  private readonly counts = new Map<string, number>();

  constructor(limits: number | FailureLimits = Number.POSITIVE_INFINITY) {
    this.limits =
      typeof limits === 'number' ? { perClientPerMinute: limits, perIpPerMinute: limits } : limits;
  }

  private keys(clientId: string, sourceIp: string, now: Date) {
    const minute = minuteOf(now);
    return [`client#${clientId.slice(0, 128)}#${minute}`, `ip#${sourceIp}#${minute}`] as const;
  }

  async blockedFor(clientId: string, sourceIp: string, now: Date) {
    const [client, ip] = this.keys(clientId, sourceIp, now);
    const over =
      (this.counts.get(client) ?? 0) >= this.limits.perClientPerMinute ||
      (this.counts.get(ip) ?? 0) >= this.limits.perIpPerMinute;
    return over ? 60 - now.getUTCSeconds() : undefined;
  }

  async recordFailure(clientId: string, sourceIp: string, now: Date) {
    this.failures += 1;
    for (const key of this.keys(clientId, sourceIp, now))
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
}
