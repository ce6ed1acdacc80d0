import type { App, StoredCredential } from '../model.ts';
import { APPS_INDEX_PK, appKey, credentialKey, credentialPointerKey } from './identity-keys.ts';

/** Item shapes of apps and credentials in the identity table, shared by every adapter that writes them. */
export const appItem = (app: App) => ({
  ...appKey(app.appId),
  kind: 'app',
  gsi1pk: APPS_INDEX_PK,
  gsi1sk: `${app.createdAt}#${app.appId}`,
  ...app,
});

/** The credential itself, and the pointer that lists it under its app. */
export const credentialItems = (credential: StoredCredential) => [
  { ...credentialKey(credential.clientId), kind: 'credential', ...credential },
  {
    ...credentialPointerKey(credential.appId, credential.clientId),
    kind: 'credential-pointer',
    environment: credential.environment,
  },
];

export const stripKeys = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, kind: _kind, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest as T;
};
