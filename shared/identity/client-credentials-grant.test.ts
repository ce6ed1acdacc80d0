import { decodeProtectedHeader, SignJWT } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { clientCredentialsGrant, type GrantDeps } from './client-credentials-grant.ts';
import { FakeCipher, MemoryAppStore, MemoryKeyStores } from './memory-stores.ts';
import { OAuthError } from './oauth.ts';
import { registerApp } from './register-app.ts';
import { rotateSigningKeys } from './rotate-signing-keys.ts';
import { TokenVerifier } from './token-verifier.ts';

const settings = { issuer: 'https://issuer.test', audience: 'portico', lifetimeSeconds: 600 };
const now = new Date();

describe('client credentials grant', () => {
  let apps: MemoryAppStore;
  let keys: MemoryKeyStores;
  let deps: GrantDeps;
  let registered: Awaited<ReturnType<typeof registerApp>>;

  beforeEach(async () => {
    apps = new MemoryAppStore();
    keys = new MemoryKeyStores();
    await rotateSigningKeys({ privateKeys: keys, publicKeys: keys.publicKeys }, now, 30 * 86_400_000);
    deps = { apps, signingKeys: () => keys.load(), settings };
    registered = await registerApp(
      { apps, cipher: new FakeCipher() },
      { name: 'demo', scopes: ['echo:read'] },
      now,
    );
  });

  const grant = (
    overrides: Partial<{ grantType: string; scope: string; secret: string; clientId: string }> = {},
  ) =>
    clientCredentialsGrant(
      deps,
      {
        grantType: 'grantType' in overrides ? overrides.grantType : 'client_credentials',
        scope: overrides.scope,
        client: {
          method: 'client_secret_post',
          clientId: overrides.clientId ?? registered.clientId,
          clientSecret: overrides.secret ?? registered.clientSecret,
        },
      },
      now,
    );

  it('stores no secret in clear and issues a verifiable ES256 token with a kid', async () => {
    const stored = apps.credentials.get(registered.clientId)!;
    expect(JSON.stringify(stored)).not.toContain(registered.clientSecret);
    expect(registered.clientSecret).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);

    const issued = await grant();
    expect(issued.scope).toBe('echo:read');
    expect(decodeProtectedHeader(issued.accessToken)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    const verified = await new TokenVerifier(keys.publicKeys, settings).verify(issued.accessToken);
    expect(verified).toMatchObject({
      sub: registered.app.appId,
      client_id: registered.clientId,
      aud: 'portico',
    });
  });

  it.each([
    [{ secret: 'sk_wrong' }, 'invalid_client'],
    [{ clientId: 'ak_unknown' }, 'invalid_client'],
    [{ grantType: 'password' }, 'unsupported_grant_type'],
    [{ grantType: undefined }, 'invalid_request'],
    [{ scope: 'console:admin' }, 'invalid_scope'],
  ])('refuses %j with %s', async (overrides, error) => {
    await expect(grant(overrides)).rejects.toSatisfy((e) => e instanceof OAuthError && e.error === error);
  });

  it('rejects tokens from another issuer, for another audience, or signed with a symmetric key', async () => {
    const verifier = new TokenVerifier(keys.publicKeys, settings);
    const other = await clientCredentialsGrant(
      { ...deps, settings: { ...settings, audience: 'x' } },
      {
        grantType: 'client_credentials',
        scope: undefined,
        client: {
          method: 'client_secret_post',
          clientId: registered.clientId,
          clientSecret: registered.clientSecret,
        },
      },
      now,
    );
    await expect(verifier.verify(other.accessToken)).rejects.toMatchObject({ status: 401 });
    const hs = await new SignJWT({ client_id: 'x', scope: '' })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setIssuer(settings.issuer)
      .setAudience('portico')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('k'.repeat(32)));
    await expect(verifier.verify(hs)).rejects.toMatchObject({ status: 401 });
  });
});
