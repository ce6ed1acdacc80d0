import type { JSONWebKeySet } from 'jose';
import type { App, StoredCredential } from './model.ts';
import type { SigningKeySet } from './signing-keys.ts';

export interface AppStore {
  /** Writes the app and its first credential together; fails with AlreadyExistsError on an id clash. */
  createApp(app: App, credential: StoredCredential): Promise<void>;
  getApp(appId: string): Promise<App | undefined>;
  getCredential(clientId: string): Promise<StoredCredential | undefined>;
  /** The status of the developer owning apps, undefined when there is no such developer. */
  developerStatus(developerId: string): Promise<'active' | 'disabled' | undefined>;
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
