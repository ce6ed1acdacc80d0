import { beforeAll, describe, expect, it } from 'vitest';
import { as } from './support/http.ts';
import { demoToken } from './support/oauth.ts';
import { portico } from './support/platform.ts';

/**
 * The gateway vouches for the caller with a signed identity token on every forwarded call; the demo
 * echo upstream verifies it as a provider's server would (sdk/identity-verifier.ts).
 */
let token: string;

beforeAll(async () => {
  token = await demoToken();
});

/** A request straight to the demo upstream, bypassing the gateway, as an attacker on its network would. */
async function direct(path: string, headers: Record<string, string>) {
  const response = await fetch(`${portico().upstreamUrl}${path}`, { headers });
  return {
    status: response.status,
    body: (await response.json()) as { reason?: string; identity?: unknown },
  };
}

describe('the identity token', () => {
  it('is accepted from the gateway, and refused when replayed, forged or missing from a spoofed call', async () => {
    const answer = await as(token).get('/apis/echo/hello?x=1');
    expect(answer.status).toBe(200);
    const requestId = answer.headers.get('x-request-id');
    expect(answer.body.identity).toEqual({
      appId: portico().demo.appId,
      clientId: portico().demo.clientId,
      innerId: expect.any(String),
      scopes: expect.arrayContaining(['echo:read']),
      sandbox: false,
      requestId,
      api: 'echo',
    });

    const forwarded = answer.body.headers as Record<string, string>;
    const identityToken = forwarded['x-portico-identity']!;
    const replayed = await direct('/hello', forwarded);
    expect(replayed.status).toBe(401);
    expect(replayed.body.reason).toBe('replayed');

    const [header, payload, signature] = identityToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, sub: 'app_evil', jti: 'fresh' })).toString(
      'base64url',
    );
    const forged = await direct('/hello', {
      'x-portico-identity': `${header}.${forgedPayload}.${signature}`,
    });
    expect(forged.status).toBe(401);
    expect(forged.body.reason).toBe('invalid');

    const spoofed = await direct('/hello', { 'x-portico-app-id': portico().demo.appId });
    expect(spoofed.status).toBe(401);
    expect(spoofed.body.reason).toBe('missing');

    const anonymous = await direct('/hello', {});
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.identity).toBeNull();
  });

  it("is published with the gateway's own keys, apart from the access tokens'", async () => {
    const [identity, access] = await Promise.all(
      ['/.well-known/identity-jwks.json', '/.well-known/jwks.json'].map(
        async (path) =>
          (await fetch(`${portico().baseUrl}${path}`)).json() as Promise<{ keys: { kid: string }[] }>,
      ),
    );
    const kids = (set: { keys: { kid: string }[] } | undefined) => (set?.keys ?? []).map((k) => k.kid);
    expect(kids(identity).length).toBeGreaterThan(0);
    expect(kids(identity).filter((kid) => kids(access).includes(kid))).toEqual([]);
  });
});
