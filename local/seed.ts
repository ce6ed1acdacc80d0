import { roleScope } from '../shared/console/roles.ts';
import { randomToken } from '../shared/crypto/random.ts';
import { DynamoApiRegistry } from '../shared/gateway/adapters/dynamo-api-registry.ts';
import { validateApiDefinition } from '../shared/gateway/api-definition.ts';
import { DynamoAppStore } from '../shared/identity/adapters/dynamo-app-store.ts';
import { DynamoUserDirectory } from '../shared/identity/adapters/dynamo-user-directory.ts';
import { KmsSecretCipher } from '../shared/identity/adapters/kms-secret-cipher.ts';
import { clientSecretMatches } from '../shared/identity/client-secret.ts';
import { registerApp } from '../shared/identity/register-app.ts';
import type { LocalClients } from './aws.ts';

export interface SeededClient {
  appId: string;
  clientId: string;
  clientSecret: string;
}

export interface SeedResult {
  admin: SeededClient;
  demo: SeededClient;
  /** A user who can approve apps in the authorization-code flow. */
  user: { username: string; password: string };
  api: string;
}

export const DEMO_REDIRECT_URI = 'http://127.0.0.1:8765/callback';

export const DEMO_API = 'echo';
export const DEMO_SCOPE = 'echo:read';

/**
 * The demo: an admin client (console scope), a demo app allowed to call `echo`, and the `echo` API
 * routed to the demo upstream. Clients from an earlier run are reused while they still exist, so a
 * persistent emulator does not fill up with demo apps.
 */
export async function seedDemo(
  aws: LocalClients,
  names: { identityTable: string; registryTable: string; keyId: string },
  upstreamUrl: string,
  previous?: Partial<SeedResult>,
): Promise<SeedResult> {
  const apps = new DynamoAppStore(aws.document, names.identityTable);
  const cipher = new KmsSecretCipher(aws.kms, names.keyId);
  const reuseOrCreate = async (
    earlier: SeededClient | undefined,
    input: Parameters<typeof registerApp>[1],
  ): Promise<SeededClient> => {
    if (earlier) {
      const stored = await apps.getCredential(earlier.clientId);
      if (stored?.secrets.some((v) => clientSecretMatches(earlier.clientSecret, v.verifier))) return earlier;
    }
    const { app, clientId, clientSecret } = await registerApp({ apps, cipher }, input, new Date());
    return { appId: app.appId, clientId, clientSecret };
  };
  const admin = await reuseOrCreate(previous?.admin, {
    name: 'Portico admin (local)',
    scopes: [roleScope('admin')],
  });
  const demo = await reuseOrCreate(previous?.demo, {
    name: 'Demo app',
    description: 'Created by npm start',
    innerId: 'demo-user-1',
    scopes: [DEMO_SCOPE],
    redirectUris: [DEMO_REDIRECT_URI],
  });
  const user = previous?.user ?? { username: 'demo', password: randomToken(12) };
  await new DynamoUserDirectory(aws.document, names.identityTable).save(
    { userId: 'user_demo', username: user.username, displayName: 'Demo User', innerId: 'demo-user-1' },
    user.password,
  );
  await new DynamoApiRegistry(aws.document, names.registryTable).put(
    validateApiDefinition({
      name: DEMO_API,
      description: 'Echoes every request back: the demo upstream started by npm start.',
      upstreams: [{ url: upstreamUrl }],
      timeoutMs: 5000,
      requiredScopes: [DEMO_SCOPE],
    }),
  );
  return { admin, demo, user, api: DEMO_API };
}
