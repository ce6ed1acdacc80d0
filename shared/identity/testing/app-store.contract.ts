import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { App, StoredCredential } from '../model.ts';
import { AlreadyExistsError, type AppStore } from '../ports.ts';

export interface AppStoreFixture {
  store: AppStore;
  /** Creates the developer, or changes its status, the way the platform does (outside this port). */
  setDeveloperStatus(developerId: string, status: 'active' | 'disabled'): Promise<void>;
}

const unique = (prefix: string) => `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;

const anApp = (overrides: Partial<App> = {}): App => ({
  appId: unique('app'),
  name: 'Contract app',
  description: 'an app of the contract suite',
  developerId: unique('dev'),
  scopes: ['orders:read', 'orders:write'],
  redirectUris: ['https://client.example/callback'],
  accessTokenTtlSeconds: 900,
  rateLimits: { app: { limit: 100, windowSeconds: 60 } },
  status: 'active',
  createdAt: '2030-01-01T00:00:00.000Z',
  ...overrides,
});

const aCredential = (appId: string, overrides: Partial<StoredCredential> = {}): StoredCredential => ({
  clientId: unique('ak'),
  appId,
  environment: 'production',
  secrets: [
    { id: 'v1', verifier: 'a'.repeat(64), ciphertext: 'Y2lwaGVy', createdAt: '2030-01-01T00:00:00.000Z' },
  ],
  status: 'active',
  createdAt: '2030-01-01T00:00:00.000Z',
  ...overrides,
});

/** What every `AppStore` must do (shared/identity/ports.ts), whatever stores it. */
export function appStoreContract(name: string, setup: () => Promise<AppStoreFixture>): void {
  describe(`AppStore contract: ${name}`, () => {
    it('reads back the app and its credential as they were created', async () => {
      const { store } = await setup();
      const app = anApp();
      const credential = aCredential(app.appId);
      await store.createApp(app, credential);
      expect(await store.getApp(app.appId)).toEqual(app);
      expect(await store.getCredential(credential.clientId)).toEqual(credential);
    });

    it('answers undefined for an unknown app, client id or developer', async () => {
      const { store } = await setup();
      expect(await store.getApp(unique('app'))).toBeUndefined();
      expect(await store.getCredential(unique('ak'))).toBeUndefined();
      expect(await store.developerStatus(unique('dev'))).toBeUndefined();
    });

    it('refuses an app id that is taken with AlreadyExistsError, and writes nothing of it', async () => {
      const { store } = await setup();
      const app = anApp();
      await store.createApp(app, aCredential(app.appId));
      const clash = anApp({ appId: app.appId, name: 'Impostor' });
      const second = aCredential(app.appId);
      await expect(store.createApp(clash, second)).rejects.toBeInstanceOf(AlreadyExistsError);
      expect(await store.getApp(app.appId)).toEqual(app);
      expect(await store.getCredential(second.clientId)).toBeUndefined();
    });

    it('refuses a client id that is taken with AlreadyExistsError, and writes nothing of it', async () => {
      const { store } = await setup();
      const app = anApp();
      const credential = aCredential(app.appId);
      await store.createApp(app, credential);
      const other = anApp();
      await expect(
        store.createApp(other, aCredential(other.appId, { clientId: credential.clientId })),
      ).rejects.toBeInstanceOf(AlreadyExistsError);
      expect(await store.getApp(other.appId)).toBeUndefined();
      expect(await store.getCredential(credential.clientId)).toEqual(credential);
    });

    it('reports the status of the developer owning apps', async () => {
      const { store, setDeveloperStatus } = await setup();
      const developerId = unique('dev');
      await setDeveloperStatus(developerId, 'active');
      expect(await store.developerStatus(developerId)).toBe('active');
      await setDeveloperStatus(developerId, 'disabled');
      expect(await store.developerStatus(developerId)).toBe('disabled');
    });

    it('hands out copies: changing what was written or read changes nothing stored', async () => {
      const { store } = await setup();
      const app = anApp();
      const credential = aCredential(app.appId);
      await store.createApp(app, credential);
      const expectedApp = structuredClone(app);
      const expectedCredential = structuredClone(credential);
      app.scopes.push('admin');
      credential.secrets[0]!.verifier = 'b'.repeat(64);
      const read = (await store.getApp(app.appId))!;
      read.status = 'disabled';
      read.redirectUris.push('https://evil.example/');
      (await store.getCredential(credential.clientId))!.secrets.length = 0;
      expect(await store.getApp(app.appId)).toEqual(expectedApp);
      expect(await store.getCredential(credential.clientId)).toEqual(expectedCredential);
    });
  });
}
