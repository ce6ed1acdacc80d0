import type { JSONWebKeySet } from 'jose';
import type { App, StoredCredential } from '../model.ts';
import {
  AlreadyExistsError,
  type AppStore,
  type PublicKeyStore,
  type SecretCipher,
  type SigningKeyStore,
} from '../ports.ts';
import type { SigningKeySet } from '../signing-keys.ts';

/** In-memory adapters for unit tests and benchmarks. */
export class MemoryAppStore implements AppStore {
  readonly apps = new Map<string, App>();
  readonly credentials = new Map<string, StoredCredential>();
  readonly developerStatuses = new Map<string, 'active' | 'disabled'>();

  async createApp(app: App, credential: StoredCredential): Promise<void> {
    if (this.apps.has(app.appId) || this.credentials.has(credential.clientId))
      throw new AlreadyExistsError('taken');
    this.apps.set(app.appId, structuredClone(app));
    this.credentials.set(credential.clientId, structuredClone(credential));
  }
  async getApp(appId: string) {
    return structuredClone(this.apps.get(appId));
  }
  async getCredential(clientId: string) {
    return structuredClone(this.credentials.get(clientId));
  }
  async developerStatus(developerId: string) {
    return this.developerStatuses.get(developerId);
  }
}

/**
 * An encryption context as KMS compares it: a map, so the order of its members does not matter.
 * (KMS binds the sorted pairs as associated data.)
 */
const canonicalContext = (context: Record<string, string>) =>
  JSON.stringify(Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Reversible but context-checked, like KMS: enough to prove callers pass the right context. */
export class FakeCipher implements SecretCipher {
  async encrypt(plaintext: string, context: Record<string, string>) {
    return Buffer.from(JSON.stringify({ plaintext, context: canonicalContext(context) })).toString('base64');
  }
  async decrypt(ciphertext: string, context: Record<string, string>) {
    const box = JSON.parse(Buffer.from(ciphertext, 'base64').toString()) as {
      plaintext: string;
      context: unknown;
    };
    if (box.context !== canonicalContext(context)) throw new Error('encryption context mismatch');
    return box.plaintext;
  }
}

export class MemoryKeyStores implements SigningKeyStore {
  set: SigningKeySet = { keys: [] };
  jwks: JSONWebKeySet = { keys: [] };
  readonly publicKeys: PublicKeyStore = {
    load: async () => structuredClone(this.jwks),
    save: async (jwks) => {
      this.jwks = structuredClone(jwks);
    },
  };
  async load() {
    return structuredClone(this.set);
  }
  async save(keys: SigningKeySet) {
    this.set = structuredClone(keys);
  }
}
