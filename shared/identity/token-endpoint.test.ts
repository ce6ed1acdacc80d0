import { decodeJwt } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { opaqueTokenHash } from './issue-tokens.ts';
import { OAuthError } from './oauth.ts';
import { s256Challenge } from './pkce.ts';
import { newSecretVersion, registerApp } from './register-app.ts';
import { rotateSigningKeys } from './rotate-signing-keys.ts';
import { FakeCipher, MemoryAppStore, MemoryKeyStores } from './testing/memory-stores.ts';
import {
  CountingFailureLimiter,
  MemoryAuthorizationStore,
  MemoryRefreshTokenStore,
  MemoryTokenStore,
} from './testing/memory-token-stores.ts';
import { handleTokenRequest, type TokenEndpointDeps } from './token-endpoint.ts';
import { TokenVerifier } from './token-verifier.ts';
import type { User } from './users.ts';
import { WEB_CLIENT_ID, webClient } from './web-client.ts';

const settings = {
  issuer: 'https://issuer.test',
  audience: 'portico',
  accessTokenTtlSeconds: 3600,
  refreshTokenTtlSeconds: 30 * 86_400,
};
const now = new Date();
const VERIFIER = 'v'.repeat(43);

describe('token endpoint', () => {
  let deps: TokenEndpointDeps & {
    tokens: MemoryTokenStore;
    refreshTokens: MemoryRefreshTokenStore;
    authorizations: MemoryAuthorizationStore;
    apps: MemoryAppStore;
    failures: CountingFailureLimiter;
  };
  let keys: MemoryKeyStores;
  let app: Awaited<ReturnType<typeof registerApp>>;

  beforeEach(async () => {
    keys = new MemoryKeyStores();
    await rotateSigningKeys({ privateKeys: keys, publicKeys: keys.publicKeys }, now, 30 * 86_400_000);
    deps = {
      apps: new MemoryAppStore(),
      failures: new CountingFailureLimiter(),
      tokens: new MemoryTokenStore(),
      refreshTokens: new MemoryRefreshTokenStore(),
      authorizations: new MemoryAuthorizationStore(),
      signingKeys: () => keys.load(),
      settings,
    };
    app = await registerApp(
      { apps: deps.apps, cipher: new FakeCipher() },
      {
        name: 'demo',
        scopes: ['echo:read', 'echo:write'],
        redirectUris: ['https://app.test/cb'],
        innerId: 'u-1',
      },
      now,
    );
  });

  const call = (params: Record<string, string>, secret = app.clientSecret, at = now) =>
    handleTokenRequest(
      deps,
      {
        params: new Map(Object.entries(params)),
        client: { method: 'client_secret_post', clientId: app.clientId, clientSecret: secret },
        sourceIp: '203.0.113.9',
      },
      at,
    );
  const oauthError = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof OAuthError) return `${error.status} ${error.error}`;
      throw error;
    }
    return 'no error';
  };

  describe('client_credentials', () => {
    it('issues a verifiable token, records it, and gives no refresh token', async () => {
      const response = await call({ grant_type: 'client_credentials', scope: 'echo:read' });
      expect(response).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'echo:read' });
      expect(response.refresh_token).toBeUndefined();
      const claims = await new TokenVerifier(keys.publicKeys, settings).verify(response.access_token);
      expect(claims).toMatchObject({ sub: app.app.appId, client_id: app.clientId, inner_id: 'u-1' });
      expect(deps.tokens.tokens.get(`${app.app.appId}/${claims.jti}`)).toMatchObject({
        grant: 'client_credentials',
      });
    });

    it('honours a shorter expires_in and records a usage limit as a claim', async () => {
      const response = await call({ grant_type: 'client_credentials', expires_in: '120', max_uses: '3' });
      expect(response.expires_in).toBe(120);
      expect(decodeJwt(response.access_token)).toMatchObject({ max_uses: 3 });
      expect(await oauthError(call({ grant_type: 'client_credentials', expires_in: '999999' }))).toBe(
        '400 invalid_request',
      );
      expect((await call({ grant_type: 'client_credentials', expires_in: '86400' })).expires_in).toBe(3600);
    });

    it.each([
      [{ grant_type: 'client_credentials', scope: 'console:admin' }, '400 invalid_scope'],
      [{ grant_type: 'password' }, '400 unsupported_grant_type'],
      [{}, '400 invalid_request'],
      [{ grant_type: 'client_credentials', max_uses: '0' }, '400 invalid_request'],
      [{ grant_type: 'client_credentials', max_uses: '1e3' }, '400 invalid_request'],
    ])('refuses %j with %s', async (params, expected) => {
      expect(await oauthError(call(params))).toBe(expected);
    });

    it('refuses a wrong secret, counts the failure, and throttles after the limit', async () => {
      expect(await oauthError(call({ grant_type: 'client_credentials' }, 'sk_wrong'))).toBe(
        '401 invalid_client',
      );
      expect(deps.failures.failures).toBe(1);
      deps.failures = new CountingFailureLimiter(0);
      expect(await oauthError(call({ grant_type: 'client_credentials' }))).toBe('429 invalid_client');
    });

    it('accepts both secrets during a rotation overlap and only the new one after it', async () => {
      const credential = deps.apps.credentials.get(app.clientId)!;
      const fresh = await newSecretVersion(
        new FakeCipher(),
        app.app.appId,
        app.clientId,
        'sk_new_secret',
        now,
      );
      credential.secrets = [
        fresh,
        { ...credential.secrets[0]!, expiresAt: new Date(now.getTime() + 3600_000).toISOString() },
      ];
      expect((await call({ grant_type: 'client_credentials' })).token_type).toBe('Bearer');
      expect((await call({ grant_type: 'client_credentials' }, 'sk_new_secret')).token_type).toBe('Bearer');
      const later = new Date(now.getTime() + 7200_000);
      expect(await oauthError(call({ grant_type: 'client_credentials' }, app.clientSecret, later))).toBe(
        '401 invalid_client',
      );
      expect((await call({ grant_type: 'client_credentials' }, 'sk_new_secret', later)).token_type).toBe(
        'Bearer',
      );
    });
  });

  describe('authorization_code with PKCE, then refresh_token', () => {
    const grantCode = async (code = 'code-1') => {
      await deps.authorizations.saveCode({
        hash: opaqueTokenHash(code),
        appId: app.app.appId,
        clientId: app.clientId,
        redirectUri: 'https://app.test/cb',
        scope: 'echo:read',
        subject: 'user-7',
        innerId: 'inner-7',
        codeChallenge: s256Challenge(VERIFIER),
        expiresAt: Math.floor(now.getTime() / 1000) + 60,
      });
      return code;
    };
    const exchange = (code: string, overrides: Record<string, string> = {}) =>
      call({
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'https://app.test/cb',
        code_verifier: VERIFIER,
        ...overrides,
      });

    it('exchanges a code once for tokens about the user, with a refresh token', async () => {
      const response = await exchange(await grantCode());
      expect(response.refresh_token).toMatch(/^rt_/);
      expect(decodeJwt(response.access_token)).toMatchObject({
        sub: 'user-7',
        inner_id: 'inner-7',
        scope: 'echo:read',
      });
    });

    it.each([
      [{ code_verifier: 'w'.repeat(43) }, 'PKCE mismatch'],
      [{ redirect_uri: 'https://app.test/other' }, 'another redirect_uri'],
      [{ code: 'unknown' }, 'an unknown code'],
    ])('refuses %j (%s) with invalid_grant', async (overrides, _why) => {
      expect(await oauthError(exchange(await grantCode(), overrides))).toBe('400 invalid_grant');
    });

    it('refuses a replayed code and revokes what the first exchange issued', async () => {
      const code = await grantCode();
      const first = await exchange(code);
      expect(await oauthError(exchange(code))).toBe('400 invalid_grant');
      const jti = decodeJwt(first.access_token).jti!;
      expect(deps.tokens.tokens.get(`${app.app.appId}/${jti}`)?.revokedAt).toBeDefined();
      expect(
        await oauthError(call({ grant_type: 'refresh_token', refresh_token: first.refresh_token! })),
      ).toBe('400 invalid_grant');
    });

    it('rotates refresh tokens, and a reused one revokes the whole family', async () => {
      const first = await exchange(await grantCode());
      const second = await call({ grant_type: 'refresh_token', refresh_token: first.refresh_token! });
      expect(second.refresh_token).toBeDefined();
      expect(second.refresh_token).not.toBe(first.refresh_token);
      const third = await call({
        grant_type: 'refresh_token',
        refresh_token: second.refresh_token!,
        scope: 'echo:read',
      });

      expect(
        await oauthError(call({ grant_type: 'refresh_token', refresh_token: first.refresh_token! })),
      ).toBe('400 invalid_grant');
      expect(
        await oauthError(call({ grant_type: 'refresh_token', refresh_token: third.refresh_token! })),
      ).toBe('400 invalid_grant');
      for (const issued of [first, second, third]) {
        const jti = decodeJwt(issued.access_token).jti!;
        expect(deps.tokens.tokens.get(`${app.app.appId}/${jti}`)?.revokedAt, jti).toBeDefined();
      }
    });

    it("refuses another client's code without naming its owner, and leaves it usable by its own client", async () => {
      const other = await registerApp(
        { apps: deps.apps, cipher: new FakeCipher() },
        { name: 'other', scopes: ['echo:read'], redirectUris: ['https://app.test/cb'] },
        now,
      );
      const code = await grantCode();
      const stolen = handleTokenRequest(
        deps,
        {
          params: new Map(
            Object.entries({
              grant_type: 'authorization_code',
              code,
              redirect_uri: 'https://app.test/cb',
              code_verifier: VERIFIER,
            }),
          ),
          client: {
            method: 'client_secret_post',
            clientId: other.clientId,
            clientSecret: other.clientSecret,
          },
          sourceIp: '203.0.113.9',
        },
        now,
      );
      const error = await stolen.then(
        () => undefined,
        (e: OAuthError) => e,
      );
      expect(`${error?.status} ${error?.error}`).toBe('400 invalid_grant');
      expect(error?.description).toBe('The authorization code is invalid or expired.');
      expect((await exchange(code)).access_token).toBeDefined();
    });

    it('drops from a refreshed token the scopes the app no longer holds', async () => {
      const first = await exchange(await grantCode());
      const stored = deps.apps.apps.get(app.app.appId)!;
      deps.apps.apps.set(app.app.appId, { ...stored, scopes: ['echo:write'] });
      const refreshed = await call({ grant_type: 'refresh_token', refresh_token: first.refresh_token! });
      expect(refreshed.scope).toBe('');
    });

    it('refuses to widen the scope on refresh', async () => {
      const first = await exchange(await grantCode());
      expect(
        await oauthError(
          call({ grant_type: 'refresh_token', refresh_token: first.refresh_token!, scope: 'echo:write' }),
        ),
      ).toBe('400 invalid_scope');
    });
  });

  describe('a public client (the web app)', () => {
    const web = webClient('https://portico.test', now);
    const asPublic = (params: Record<string, string>, clientId = WEB_CLIENT_ID) =>
      handleTokenRequest(
        deps,
        {
          params: new Map(Object.entries(params)),
          client: { method: 'none', clientId, clientSecret: '' },
          sourceIp: '203.0.113.9',
        },
        now,
      );
    const webCode = async () => {
      const code = `code-${Math.random()}`;
      await deps.authorizations.saveCode({
        hash: opaqueTokenHash(code),
        appId: web.app.appId,
        clientId: WEB_CLIENT_ID,
        redirectUri: 'https://portico.test/callback',
        scope: 'portal console:viewer',
        subject: 'user_ops',
        innerId: 'ops-1',
        codeChallenge: s256Challenge(VERIFIER),
        expiresAt: Math.floor(now.getTime() / 1000) + 60,
      });
      return code;
    };

    const ops = { userId: 'user_ops', username: 'ops', displayName: 'Ops', innerId: 'ops-1' };
    let account: User | undefined;

    beforeEach(async () => {
      await deps.apps.createApp(web.app, web.credential);
      account = { ...ops, scopes: ['console:viewer'] };
      deps.users = { get: async (id) => (id === 'user_ops' ? account : undefined) };
    });

    it('exchanges a code with PKCE and no secret, and refreshes the same way', async () => {
      const response = await asPublic({
        grant_type: 'authorization_code',
        code: await webCode(),
        redirect_uri: 'https://portico.test/callback',
        code_verifier: VERIFIER,
      });
      expect(decodeJwt(response.access_token)).toMatchObject({
        sub: 'user_ops',
        scope: 'portal console:viewer',
      });
      const refreshed = await asPublic({
        grant_type: 'refresh_token',
        refresh_token: response.refresh_token!,
      });
      expect(refreshed.scope).toBe('portal console:viewer');
    });

    it('cannot get a token of its own (client_credentials)', async () => {
      expect(await oauthError(asPublic({ grant_type: 'client_credentials' }))).toBe(
        '400 unauthorized_client',
      );
    });

    it('is refused when a confidential client leaves its secret out, or a public one sends a secret', async () => {
      expect(await oauthError(asPublic({ grant_type: 'client_credentials' }, app.clientId))).toBe(
        '401 invalid_client',
      );
      const withSecret = handleTokenRequest(
        deps,
        {
          params: new Map([['grant_type', 'refresh_token']]),
          client: { method: 'client_secret_post', clientId: WEB_CLIENT_ID, clientSecret: 'guess' },
          sourceIp: '203.0.113.9',
        },
        now,
      );
      expect(await oauthError(withSecret)).toBe('401 invalid_client');
    });
  });
});
