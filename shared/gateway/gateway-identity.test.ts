import type { Context } from 'aws-lambda';
import { createLocalJWKSet } from 'jose';
import { describe, expect, it } from 'vitest';
import { createIdentityVerifier } from '../../sdk/identity-verifier.ts';
import { httpHandler } from '../http/middleware.ts';
import type { HttpResult } from '../http/types.ts';
import { IDENTITY_TOKEN_HEADER, IdentityTokenSigner } from '../identity/identity-token.ts';
import { generateSigningKey, publicJwks } from '../identity/signing-keys.ts';
import { createLogger } from '../observability.ts';
import { invokeGateway } from './http/api-gateway.ts';
import type { UpstreamCall } from './ports.ts';
import { gatewayEvent, inMemoryGateway } from './testing/in-memory-gateway.ts';

const ISSUER = 'https://portico.test';
const context = { awsRequestId: 'ctx', functionName: 'gateway' } as Context;
const logger = createLogger('gateway-identity-test');
logger.setLogLevel('SILENT');

async function setup(signer: () => Promise<IdentityTokenSigner>) {
  const sent: UpstreamCall[] = [];
  const platform = await inMemoryGateway({
    transport: async (call) => {
      sent.push(call);
      return { status: 200, headers: {}, body: Buffer.from('{}'), upstreamLatencyMs: 1 };
    },
    identityTokens: { issuer: ISSUER, signer },
  });
  const handler = httpHandler(logger, invokeGateway(platform.gateway));
  const app = await platform.newApp(['orders:read']);
  const token = await platform.tokenFor(app, 'orders:read');
  await platform.put({ name: 'orders', upstreams: [{ url: 'http://upstream.test/v1' }] });
  const call = (path: string, headers: Record<string, string> = {}) =>
    handler(
      gatewayEvent('POST', 'orders', path, {
        headers: { authorization: `Bearer ${token}`, ...headers },
        body: '{}',
      }),
      context,
    ) as Promise<HttpResult>;
  return { sent, app, call };
}

describe('the identity token the gateway sends upstream', () => {
  it('is signed for the call as the upstream receives it, base path included, and verifies there', async () => {
    const key = await generateSigningKey(new Date(), 'current');
    const t = await setup(async () => new IdentityTokenSigner(key.privateJwk, key.kid));
    const forged = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhcHBfZXZpbCJ9.';
    expect((await t.call('/orders/7', { [IDENTITY_TOKEN_HEADER]: forged })).statusCode).toBe(200);
    const [sent] = t.sent;
    const token = sent!.headers[IDENTITY_TOKEN_HEADER];
    expect(token).not.toBe(forged);
    const verifier = createIdentityVerifier({
      issuer: ISSUER,
      api: 'orders',
      keys: createLocalJWKSet(publicJwks({ keys: [key] })),
    });
    const identity = await verifier.verify(token, {
      method: 'POST',
      path: new URL(String(sent!.url)).pathname,
    });
    expect(identity).toMatchObject({
      appId: t.app.app.appId,
      clientId: t.app.clientId,
      innerId: 'user-1',
      scopes: ['orders:read'],
      sandbox: false,
      requestId: sent!.headers['x-request-id'],
    });
    expect(new URL(String(sent!.url)).pathname).toBe('/v1/orders/7');
  });

  it('is required: without a key to sign with, the gateway calls no upstream and answers 503', async () => {
    const t = await setup(async () => {
      throw new Error('secret unavailable');
    });
    const answer = await t.call('/orders/7');
    expect(answer.statusCode).toBe(503);
    expect(t.sent).toEqual([]);
  });
});
