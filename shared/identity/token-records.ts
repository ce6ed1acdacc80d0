/** What the platform remembers about the tokens it issues (never the tokens themselves). */
import type { Page, PageRequest } from '../kernel/page.ts';

export type Grant = 'client_credentials' | 'authorization_code' | 'refresh_token';

export interface AccessTokenRecord {
  jti: string;
  appId: string;
  clientId: string;
  subject: string;
  scope: string;
  grant: Grant;
  /** epoch seconds */
  issuedAt: number;
  /** epoch seconds */
  expiresAt: number;
  familyId?: string;
  /** The token may be used this many times in all (a Portico extension, seed 001). */
  maxUses?: number;
  uses?: number;
  revokedAt?: string;
}

/** An entry of the revocation feed every verifier follows. */
export type Revocation =
  | { kind: 'token'; jti: string; appId: string; at: string }
  | { kind: 'app'; appId: string; notBefore: number; at: string };

export interface RefreshTokenRecord {
  /** SHA-256 hex of the opaque refresh token */
  hash: string;
  familyId: string;
  appId: string;
  clientId: string;
  subject: string;
  innerId?: string;
  scope: string;
  status: 'active' | 'used';
  createdAt: string;
  /** epoch seconds */
  expiresAt: number;
}

export interface AuthorizationRequest {
  id: string;
  appId: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  state?: string;
  codeChallenge: string;
  /** epoch seconds */
  expiresAt: number;
}

export interface AuthorizationCodeRecord {
  /** SHA-256 hex of the code */
  hash: string;
  appId: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  subject: string;
  innerId?: string;
  codeChallenge: string;
  /** epoch seconds */
  expiresAt: number;
  usedAt?: string;
  /** The refresh-token family created when the code was redeemed; revoked if the code is replayed. */
  familyId?: string;
}

export interface TokenStore {
  recordAccessToken(record: AccessTokenRecord): Promise<void>;
  getAccessToken(appId: string, jti: string): Promise<AccessTokenRecord | undefined>;
  listAccessTokens(appId: string, now: Date): Promise<AccessTokenRecord[]>;
  /** One page of the app's unexpired token records (a page may hold fewer than `limit`: follow `next`). */
  pageAccessTokens(appId: string, now: Date, page: PageRequest): Promise<Page<AccessTokenRecord>>;
  /** Marks the tokens revoked and publishes them on the revocation feed. */
  revokeAccessTokens(
    tokens: Pick<AccessTokenRecord, 'appId' | 'jti' | 'expiresAt'>[],
    now: Date,
  ): Promise<void>;
  /** Revokes every token of the app issued up to now. */
  revokeAllForApp(appId: string, now: Date): Promise<void>;
  /** Tokens of the app issued at or before this epoch second are revoked (the last revokeAllForApp). */
  appNotBefore(appId: string): Promise<number | undefined>;
  /** Feed entries after `cursor` (all live ones without it), oldest first, and the next cursor. */
  revocationsSince(
    cursor: string | undefined,
    now: Date,
  ): Promise<{ entries: Revocation[]; cursor: string | undefined }>;
  /** Counts one use of a limited token, atomically; false once the limit is reached or it is revoked. */
  countUse(appId: string, jti: string): Promise<boolean>;
}

export type RotationResult =
  | { outcome: 'rotated'; previous: RefreshTokenRecord }
  | { outcome: 'reused'; previous: RefreshTokenRecord }
  | { outcome: 'invalid' };

export interface RefreshTokenStore {
  save(record: RefreshTokenRecord): Promise<void>;
  /** Marks `hash` used and stores `next`, atomically, if `hash` is active, unexpired and its family alive. */
  rotate(
    hash: string,
    next: (previous: RefreshTokenRecord) => RefreshTokenRecord,
    now: Date,
  ): Promise<RotationResult>;
  get(hash: string): Promise<RefreshTokenRecord | undefined>;
  revokeFamily(appId: string, familyId: string, now: Date): Promise<void>;
  isFamilyRevoked(appId: string, familyId: string): Promise<boolean>;
}

export type RedeemResult =
  | { outcome: 'redeemed'; code: AuthorizationCodeRecord }
  | { outcome: 'replayed'; code: AuthorizationCodeRecord }
  | { outcome: 'invalid' };

export interface AuthorizationStore {
  saveRequest(request: AuthorizationRequest): Promise<void>;
  getRequest(id: string, now: Date): Promise<AuthorizationRequest | undefined>;
  deleteRequest(id: string): Promise<void>;
  saveCode(code: AuthorizationCodeRecord): Promise<void>;
  /**
   * Marks the code used, once, if it was issued to `clientId`; a second redemption by that client reports
   * the first one's record. A code presented by another client is `invalid` and stays unused.
   */
  redeemCode(hash: string, clientId: string, now: Date): Promise<RedeemResult>;
  setCodeFamily(hash: string, familyId: string): Promise<void>;
}
