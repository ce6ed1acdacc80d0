/** What the platform remembers about the tokens it issues (never the tokens themselves). */
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
