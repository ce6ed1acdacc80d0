import type { JSONWebKeySet } from 'jose';
import type { Page, PageRequest } from '../kernel/page.ts';
import type { App, StoredCredential } from './model.ts';
import type { SigningKeySet } from './signing-keys.ts';
import type {
  AccessTokenRecord,
  AuthorizationCodeRecord,
  AuthorizationRequest,
  RefreshTokenRecord,
  Revocation,
} from './token-records.ts';
import type { User } from './users.ts';

export interface AppStore {
  /** Writes the app and its first credential together; fails with AlreadyExistsError on an id clash. */
  createApp(app: App, credential: StoredCredential): Promise<void>;
  getApp(appId: string): Promise<App | undefined>;
  getCredential(clientId: string): Promise<StoredCredential | undefined>;
  /** The status of the developer owning apps, undefined when there is no such developer. */
  developerStatus(developerId: string): Promise<'active' | 'pending' | 'disabled' | undefined>;
}

/** Encrypts small secrets; the context is bound to the ciphertext and must match on decryption. */
export interface SecretCipher {
  encrypt(plaintext: string, context: Record<string, string>): Promise<string>;
  decrypt(ciphertext: string, context: Record<string, string>): Promise<string>;
}

/** Private signing keys: readable only by the token issuer and the rotation job. */
export interface SigningKeyStore {
  load(): Promise<SigningKeySet>;
  save(keys: SigningKeySet): Promise<void>;
}

/** The public half of the signing keys, read by every verifier and the JWKS endpoint. */
export interface PublicKeyStore {
  load(): Promise<JSONWebKeySet>;
  save(jwks: JSONWebKeySet): Promise<void>;
}

export class AlreadyExistsError extends Error {
  override name = 'AlreadyExistsError';
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

/**
 * Where users are checked. The platform ships a table-backed directory for the demo; to use the
 * company's own identity provider, implement this port (an LDAP bind, an SSO token check…) and wire
 * it in functions/oauth/authorize.ts.
 */
export interface UserDirectory {
  authenticate(username: string, password: string): Promise<User | undefined>;
}

/** People's profiles by user id: what a signed-in session may see and act as. */
export interface UserProfiles {
  get(userId: string): Promise<User | undefined>;
}

/** Counts failed client authentications so guessing secrets is throttled per client and per source IP. */
export interface AuthFailureLimiter {
  /** Seconds to wait before trying again, or undefined when the caller may try now. */
  blockedFor(clientId: string, sourceIp: string, now: Date): Promise<number | undefined>;
  recordFailure(clientId: string, sourceIp: string, now: Date): Promise<void>;
}

/** Remembers nonces; a nonce may be used once per client until it expires. */
export interface NonceStore {
  /** Records the nonce; false when it is already recorded and not yet expired. */
  remember(clientId: string, nonce: string, expiresAt: Date): Promise<boolean>;
}
