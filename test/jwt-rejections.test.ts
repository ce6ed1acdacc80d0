import { GetSecretValueCommand, ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { as } from './support/http.ts';
import { demoToken } from './support/oauth.ts';
import { aws, portico } from './support/platform.ts';

/**
 * Tokens the gateway must refuse. The bad ones that need a valid signature are signed with the
 * platform's real current key, read from the emulator, so only the claim under test is wrong.
 */
describe('access tokens the gateway refuses', () => {
  let key: { kid: string; privateJwk: JWK; publicJwk: JWK };
  let good: string;
  const claims = () => ({
    client_id: portico().demo.clientId,
    app_id: portico().demo.appId,
    scope: 'echo:read',
    sub: portico().demo.appId,
  });

  beforeAll(async () => {
    const { secrets } = aws();
    const { SecretList = [] } = await secrets.send(new ListSecretsCommand({}));
    const secret = SecretList.find((s) => s.Name?.includes('SigningKeys'))!;
    const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: secret.ARN }));
    key = (JSON.parse(SecretString!) as { keys: (typeof key & { state: string })[] }).keys.find(
      (k) => k.state === 'current',
    )!;
    good = await demoToken();
  });

  const signed = async (
    edit: (jwt: SignJWT) => SignJWT,
    header: Record<string, unknown> = {},
    signingKey?: Parameters<SignJWT['sign']>[0],
  ) => {
    const jwt = new SignJWT(claims())
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt', ...header } as never)
      .setIssuer(portico().baseUrl)
      .setAudience('portico')
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti(crypto.randomUUID());
    return edit(jwt).sign(signingKey ?? (await importJWK(key.privateJwk, 'ES256')));
  };
  const status = async (token: string) => (await as(token).get('/apis/echo/x')).status;

  it('accepts a well-formed token signed with the current key (the control case)', async () => {
    expect(await status(good)).toBe(200);
    expect(await status(await signed((j) => j))).toBe(200);
  });

  it.each([
    [
      'alg none',
      async () =>
        `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64({ ...claims(), iss: portico().baseUrl, aud: 'portico', exp: now() + 300 })}.`,
    ],
    [
      'HS256 keyed with the public key',
      async () => {
        const publicBytes = new TextEncoder().encode(JSON.stringify(key.publicJwk));
        return new SignJWT(claims())
          .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'at+jwt' })
          .setIssuer(portico().baseUrl)
          .setAudience('portico')
          .setExpirationTime('5m')
          .sign(publicBytes);
      },
    ],
    [
      'an unknown kid',
      async () => {
        const { privateKey } = await generateKeyPair('ES256');
        return signed((j) => j, { kid: 'unknown-kid' }, privateKey);
      },
    ],
    ['an expired token', () => signed((j) => j.setIssuedAt(now() - 600).setExpirationTime(now() - 60))],
    ['a token not valid yet', () => signed((j) => j.setNotBefore(now() + 600))],
    ['the wrong audience', () => signed((j) => j.setAudience('someone-else'))],
    ['the wrong issuer', () => signed((j) => j.setIssuer('https://evil.example'))],
    [
      'a token with a tampered payload',
      async () => {
        const [h, , s] = good.split('.');
        return `${h}.${b64({ ...claims(), scope: 'echo:read console:admin' })}.${s}`;
      },
    ],
  ])('refuses %s with 401 invalid-token', async (_name, make) => {
    const response = await as(await make()).get('/apis/echo/x');
    expect(response.status).toBe(401);
    expect(response.body.type).toBe('urn:portico:problem:invalid-token');
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });
});

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
