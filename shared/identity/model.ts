export type AppStatus = 'active' | 'disabled';
export type CredentialEnvironment = 'production' | 'sandbox';

export interface App {
  appId: string;
  name: string;
  description?: string;
  /** The internal user this app acts for, forwarded upstream after authentication. */
  innerId?: string;
  /** The scopes the app may be granted; a token never carries more. */
  scopes: string[];
  status: AppStatus;
  createdAt: string;
}

/** What is stored for one appKey/appSecret pair: never the secret itself. */
export interface StoredCredential {
  clientId: string;
  appId: string;
  environment: CredentialEnvironment;
  /** SHA-256 of the secret, enough to authenticate the client without decrypting anything. */
  secretVerifier: string;
  /** The secret encrypted under the platform KMS key, kept for request signatures (HMAC). */
  secretCiphertext: string;
  status: AppStatus;
  createdAt: string;
}

export const SCOPE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9:._/-]{0,127}$';
