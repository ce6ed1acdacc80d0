import type { RateLimitPolicy } from '../kernel/rate-limit-policy.ts';

export type AppStatus = 'active' | 'disabled';
export type CredentialEnvironment = 'production' | 'sandbox';

export interface App {
  appId: string;
  name: string;
  description?: string;
  developerId?: string;
  /** The internal user this app acts for, forwarded upstream after authentication. */
  innerId?: string;
  /** The scopes the app may be granted; a token never carries more. */
  scopes: string[];
  /**
   * The platform's own web app: a user who signs in through it gets the scopes their account holds
   * (console role, developer portal), never the ones a request asks for, and no consent step.
   */
  firstParty?: boolean;
  /** Exact redirect URIs allowed in the authorization-code flow. */
  redirectUris: string[];
  /** Upper bound for this app's access-token lifetime; the platform default applies when absent. */
  accessTokenTtlSeconds?: number;
  /**
   * The app's plan: limits on every call of the app (`app`) and on its calls to any one API (`appApi`),
   * replacing the API's own policies for those two dimensions.
   */
  rateLimits?: { app?: RateLimitPolicy; appApi?: RateLimitPolicy };
  status: AppStatus;
  createdAt: string;
  updatedAt?: string;
}

/** One version of a client secret: never the secret itself. */
export interface SecretVersion {
  id: string;
  /** SHA-256 of the secret, enough to authenticate the client without decrypting anything. */
  verifier: string;
  /** The secret encrypted under the platform KMS key, kept for request signatures (HMAC). */
  ciphertext: string;
  createdAt: string;
  /** Set on the old version when a rotation begins: it keeps working until then. */
  expiresAt?: string;
}

/** What is stored for one appKey/appSecret pair (an OAuth client). */
export interface StoredCredential {
  clientId: string;
  appId: string;
  environment: CredentialEnvironment;
  /** The current secret first; during a rotation the previous one follows until it expires. */
  secrets: SecretVersion[];
  /** A public client (a browser app): no secret, authorization code with PKCE and refresh only. */
  public?: boolean;
  status: AppStatus;
  createdAt: string;
}

/** Secrets still accepted at `now`. */
export const liveSecrets = (credential: StoredCredential, now: Date): SecretVersion[] =>
  credential.secrets.filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > now.getTime());
