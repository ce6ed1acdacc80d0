import * as oauth from 'oauth4webapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './support/console.ts';
import { as as bearer } from './support/http.ts';
import { adminToken, approve, requestIdOf } from './support/oauth.ts';
import { portico } from './support/platform.ts';

/**
 * Portico as any well-behaved authorization server, driven by oauth4webapi: discovery, client
 * credentials, authorization code with PKCE (through the real consent page), refresh with rotation,
 * introspection and revocation.
 */
const REDIRECT_URI = 'http://127.0.0.1:9/callback';
const insecure = { [oauth.allowInsecureRequests]: true } as const;

describe('a standard OAuth2 client library against Portico', () => {
  let as: oauth.AuthorizationServer;
  let client: oauth.Client;
  let clientAuth: oauth.ClientAuth;
  let gatewayToken: (token: string) => Promise<number>;

  beforeAll(async () => {
    const issuer = new URL(portico().baseUrl);
    as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }),
    );
    const credential = await createApp(await adminToken(), {
      name: 'Library client',
      scopes: ['echo:read'],
      redirectUris: [REDIRECT_URI],
    });
    client = { client_id: credential.clientId };
    clientAuth = oauth.ClientSecretBasic(credential.clientSecret);
    gatewayToken = async (token) => (await bearer(token).get('/apis/echo/ping')).status;
  });

  // The library's requests for this client, over plain HTTP to the local platform.
  const introspect = async (token: string) =>
    oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, clientAuth, token, insecure),
    );
  const redeemCode = (params: URLSearchParams, codeVerifier: string) =>
    oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, REDIRECT_URI, codeVerifier, insecure);
  const refresh = (refreshToken: string) =>
    oauth.refreshTokenGrantRequest(as, client, clientAuth, refreshToken, insecure);
  const approveAt = (requestId: string, password = portico().user.password) =>
    approve(requestId, { endpoint: as.authorization_endpoint!, password });

  /** Tokens from a whole authorization-code flow with PKCE, the user approving on the consent page. */
  async function authorizationCodeTokens() {
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    }).toString();
    const consented = await approveAt(requestIdOf(await (await fetch(url)).text()));
    const params = oauth.validateAuthResponse(
      as,
      client,
      new URL(consented.headers.get('location')!),
      oauth.expectNoState,
    );
    return oauth.processAuthorizationCodeResponse(as, client, await redeemCode(params, codeVerifier));
  }

  it('discovers every endpoint from the metadata document', () => {
    expect(as).toMatchObject({
      issuer: portico().baseUrl,
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: expect.arrayContaining([
        'authorization_code',
        'client_credentials',
        'refresh_token',
      ]),
    });
    for (const endpoint of [
      'authorization_endpoint',
      'token_endpoint',
      'introspection_endpoint',
      'revocation_endpoint',
      'jwks_uri',
    ]) {
      expect(as[endpoint as keyof typeof as], endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    }
  });

  it('gets a token with client_credentials, introspects it, revokes it', async () => {
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      clientAuth,
      new URLSearchParams({ scope: 'echo:read' }),
      insecure,
    );
    const result = await oauth.processClientCredentialsResponse(as, client, response);
    expect(result.token_type).toBe('bearer');
    expect(await gatewayToken(result.access_token)).toBe(200);

    const introspected = await introspect(result.access_token);
    expect(introspected).toMatchObject({ active: true, client_id: client.client_id, scope: 'echo:read' });

    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, clientAuth, result.access_token, insecure),
    );
    const after = await introspect(result.access_token);
    expect(after.active).toBe(false);
    // The gateway follows the revocation feed: refused within its refresh interval.
    await expect.poll(() => gatewayToken(result.access_token), { timeout: 10_000, interval: 500 }).toBe(401);
  });

  it('runs authorization_code with PKCE through the consent page, then rotates refresh tokens and detects reuse', async () => {
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const authorizationUrl = new URL(as.authorization_endpoint!);
    for (const [k, v] of Object.entries({
      client_id: client.client_id,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'echo:read',
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    })) {
      authorizationUrl.searchParams.set(k, v);
    }

    // The user agent: load the consent page, sign in, approve.
    const page = await fetch(authorizationUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await page.text();
    expect(html).toContain('Library client');
    const requestId = requestIdOf(html);
    const approve = (password: string) => approveAt(requestId, password);
    expect((await approve('not-the-password')).status).toBe(401);
    const consented = await approve(portico().user.password);
    expect(consented.status).toBe(302);

    const params = oauth.validateAuthResponse(as, client, new URL(consented.headers.get('location')!), state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await redeemCode(params, codeVerifier),
    );
    expect(tokens.refresh_token).toBeDefined();
    expect(await gatewayToken(tokens.access_token)).toBe(200);
    const echoed = await bearer(tokens.access_token).get('/apis/echo/who');
    expect(echoed.body.headers['x-portico-inner-id']).toBe('demo-user-1');

    // The code is single-use.
    const replay = await redeemCode(params, codeVerifier);
    await expect(oauth.processAuthorizationCodeResponse(as, client, replay)).rejects.toMatchObject({
      error: 'invalid_grant',
    });

    // That replay revoked what the code produced; start a fresh flow for refresh rotation.
    expect((await introspect(tokens.refresh_token!)).active).toBe(false);
  });

  it('rotates refresh tokens and revokes the family when an old one comes back', async () => {
    const first = await authorizationCodeTokens();
    const second = await oauth.processRefreshTokenResponse(as, client, await refresh(first.refresh_token!));
    expect(second.refresh_token).toBeDefined();
    expect(second.refresh_token).not.toBe(first.refresh_token);

    const reuse = await refresh(first.refresh_token!);
    await expect(oauth.processRefreshTokenResponse(as, client, reuse)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    const latest = await refresh(second.refresh_token!);
    await expect(oauth.processRefreshTokenResponse(as, client, latest)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    await expect.poll(() => gatewayToken(second.access_token), { timeout: 10_000, interval: 500 }).toBe(401);
  });
});
