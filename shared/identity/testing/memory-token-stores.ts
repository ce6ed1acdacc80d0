import { decodeCursor, encodeCursor } from '../../aws/dynamo-cursor.ts';
import type { PageRequest } from '../../kernel/page.ts';
import { epochSeconds } from '../../kernel/time.ts';
import type {
  AuthFailureLimiter,
  AuthorizationStore,
  RedeemResult,
  RefreshTokenStore,
  RotationResult,
  TokenStore,
} from '../ports.ts';
import type {
  AccessTokenRecord,
  AuthorizationCodeRecord,
  AuthorizationRequest,
  RefreshTokenRecord,
  Revocation,
} from '../token-records.ts';

/** In-memory token stores with the same semantics as the DynamoDB adapters: for unit tests and benchmarks. */
export class MemoryTokenStore implements TokenStore {
  readonly tokens = new Map<string, AccessTokenRecord>();
  readonly feed: { sk: string; entry: Revocation }[] = [];
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
    const after = decodeCursor(scope, cursor)?.sk ?? '';
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
      this.push({ kind: 'token', jti: t.jti, appId: t.appId, at: now.toISOString() });
    }
  }
  readonly notBefore = new Map<string, number>();
  async appNotBefore(appId: string) {
    return this.notBefore.get(appId);
  }
  async revokeAllForApp(appId: string, now: Date) {
    this.notBefore.set(appId, epochSeconds(now));
    this.push({ kind: 'app', appId, notBefore: epochSeconds(now), at: now.toISOString() });
  }
  private push(entry: Revocation) {
    this.feed.push({ sk: `${entry.at}#${String(++this.seq).padStart(8, '0')}`, entry });
  }
  async revocationsSince(cursor: string | undefined) {
    const after = this.feed.filter((f) => cursor === undefined || f.sk > cursor);
    return { entries: after.map((f) => f.entry), cursor: after.at(-1)?.sk ?? cursor };
  }
  async countUse(appId: string, jti: string) {
    const t = this.tokens.get(`${appId}/${jti}`);
    if (!t || t.revokedAt || (t.maxUses !== undefined && (t.uses ?? 0) >= t.maxUses)) return false;
    t.uses = (t.uses ?? 0) + 1;
    return true;
  }
}

export class MemoryRefreshTokenStore implements RefreshTokenStore {
  readonly records = new Map<string, RefreshTokenRecord>();
  readonly revokedFamilies = new Set<string>();

  async save(record: RefreshTokenRecord) {
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
    const previous = this.records.get(hash);
    if (!previous || previous.expiresAt <= epochSeconds(now)) return { outcome: 'invalid' };
    if (previous.status === 'used') return { outcome: 'reused', previous: { ...previous } };
    if (this.revokedFamilies.has(previous.familyId)) return { outcome: 'invalid' };
    const successor = next({ ...previous });
    previous.status = 'used';
    this.records.set(successor.hash, successor);
    return { outcome: 'rotated', previous: { ...previous } };
  }
  async revokeFamily(_appId: string, familyId: string) {
    this.revokedFamilies.add(familyId);
  }
  async isFamilyRevoked(_appId: string, familyId: string) {
    return this.revokedFamilies.has(familyId);
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
  async saveCode(code: AuthorizationCodeRecord) {
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

/** Never blocks; counts failures so tests can see them. */
export class CountingFailureLimiter implements AuthFailureLimiter {
  failures = 0;
  constructor(private readonly blockAfter = Number.POSITIVE_INFINITY) {}
  async blockedFor() {
    return this.failures >= this.blockAfter ? 60 : undefined;
  }
  async recordFailure() {
    this.failures += 1;
  }
}
