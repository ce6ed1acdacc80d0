import type { CallRecord } from '../../analytics/call-record.ts';
import type { CallCapture } from '../../analytics/request-log.ts';
import { TOKEN_AUDIENCE } from '../../config/names.ts';
import type { HttpEvent } from '../../http/types.ts';
import { AccessTokenValidator } from '../../identity/access-token-validator.ts';
import { type RegisteredApp, registerApp } from '../../identity/register-app.ts';
import { signRequest } from '../../identity/request-signing.ts';
import { RevocationCache } from '../../identity/revocation-cache.ts';
import { rotateSigningKeys } from '../../identity/rotate-signing-keys.ts';
import { currentKey } from '../../identity/signing-keys.ts';
import { MemoryNonceStore } from '../../identity/testing/memory-nonce-store.ts';
import { FakeCipher, MemoryAppStore, MemoryKeyStores } from '../../identity/testing/memory-stores.ts';
import { MemoryTokenStore } from '../../identity/testing/memory-token-stores.ts';
import { TokenVerifier } from '../../identity/token-verifier.ts';
import { signAccessToken } from '../../identity/tokens.ts';
import type { ApiDefinition } from '../api-definition.ts';
import { type BulkheadConfig, BulkheadRegistry } from '../bulkhead/bulkhead.ts';
import { CallerAuthentication } from '../caller-authentication.ts';
import { BreakerRegistry } from '../circuit-breaker/registry.ts';
import { Gateway, type GatewayDeps } from '../gateway.ts';
import { refusalStatus } from '../http/api-gateway.ts';
import type { PartnerHealthGate, UpstreamTransport } from '../ports.ts';
import { AppPlans } from '../rate-limit/app-plans.ts';
import { RateLimiter } from '../rate-limit/limiter.ts';
import { RegistryCache } from '../registry-cache.ts';
import { UpstreamPools } from '../upstreams/balancer.ts';
import { MemoryApiRegistry } from './memory-api-registry.ts';
import { MemoryLeaseStore } from './memory-lease-store.ts';

const ISSUER = 'https://portico.test';

/**
 * The whole pipeline with in-memory adapters — real token verification, real HMAC signatures, real
 * limiter, breakers, bulkheads and pools — and an injectable upstream transport: for unit tests and benchmarks.
 */
export async function inMemoryGateway(options: {
  transport: UpstreamTransport;
  bulkheads?: BulkheadConfig;
  clock?: () => number;
  partners?: PartnerHealthGate;
  /** Where call records and request-log captures go; by default into the returned arrays. */
  recorder?: GatewayDeps['recorder'];
  requestLog?: GatewayDeps['requestLog'] | null;
  identityTokens?: GatewayDeps['identityTokens'];
  deprecatedCalls?: GatewayDeps['deprecatedCalls'];
  functions?: GatewayDeps['functions'];
  asyncSender?: GatewayDeps['asyncSender'];
  targets?: GatewayDeps['targets'];
}) {
  const registry = new MemoryApiRegistry();
  const apps = new MemoryAppStore();
  const cipher = new FakeCipher();
  const keys = new MemoryKeyStores();
  await rotateSigningKeys({ privateKeys: keys, publicKeys: keys.publicKeys }, new Date(), 30 * 86_400_000);
  const tokens = new MemoryTokenStore();
  const validator = new AccessTokenValidator(
    new TokenVerifier(keys.publicKeys, { issuer: ISSUER, audience: TOKEN_AUDIENCE }),
    new RevocationCache(tokens),
    tokens,
  );
  const records: CallRecord[] = [];
  const captures: CallCapture[] = [];
  const leases = new MemoryLeaseStore();
  const breakers = new BreakerRegistry();
  const bulkheads = new BulkheadRegistry(options.bulkheads);
  const pools = new UpstreamPools();
  const gateway = new Gateway({
    registry: new RegistryCache(registry, options.clock ? { now: options.clock } : {}),
    callers: new CallerAuthentication(validator, { apps, cipher, nonces: new MemoryNonceStore() }),
    limiter: new RateLimiter({ store: leases }),
    appPlans: new AppPlans(apps),
    breakers,
    bulkheads,
    pools,
    recorder: options.recorder ?? { record: (r) => records.push(r) },
    ...(options.requestLog === null
      ? {}
      : { requestLog: options.requestLog ?? { record: (c) => captures.push(c) } }),
    transport: options.transport,
    statusOf: refusalStatus,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.partners ? { partners: options.partners } : {}),
    ...(options.identityTokens ? { identityTokens: options.identityTokens } : {}),
    ...(options.deprecatedCalls ? { deprecatedCalls: options.deprecatedCalls } : {}),
    ...(options.functions ? { functions: options.functions } : {}),
    ...(options.asyncSender ? { asyncSender: options.asyncSender } : {}),
    ...(options.targets ? { targets: options.targets } : {}),
  });

  const newApp = async (scopes: string[], environment: 'production' | 'sandbox' = 'production') =>
    registerApp({ apps, cipher }, { name: 'test app', scopes, innerId: 'user-1' }, new Date(), environment);

  const tokenFor = async (registered: RegisteredApp, scope = registered.app.scopes.join(' ')) => {
    const key = currentKey(await keys.load())!;
    const sandbox = (await apps.getCredential(registered.clientId))?.environment === 'sandbox';
    const { accessToken } = await signAccessToken(
      {
        sub: registered.app.appId,
        client_id: registered.clientId,
        app_id: registered.app.appId,
        scope,
        inner_id: 'user-1',
        ...(sandbox ? { sandbox: true as const } : {}),
      },
      key,
      { issuer: ISSUER, audience: TOKEN_AUDIENCE, lifetimeSeconds: 3600 },
      new Date(),
    );
    return accessToken;
  };

  const put = (api: Partial<ApiDefinition> & Pick<ApiDefinition, 'name'>) =>
    registry.put({
      version: '1',
      upstreams: [{ url: 'http://upstream.test' }],
      timeoutMs: 1000,
      authModes: ['token', 'signature'],
      requiredScopes: [],
      ...api,
    });

  return {
    gateway,
    registry,
    apps,
    records,
    captures,
    leases,
    breakers,
    bulkheads,
    pools,
    newApp,
    tokenFor,
    put,
  };
}

let requestCounter = 0;

/** An API Gateway payload 2.0 event for `/apis/{api}{path}`. */
export function gatewayEvent(
  method: string,
  api: string,
  path: string,
  init: { headers?: Record<string, string>; query?: string; body?: string; sourceIp?: string } = {},
): HttpEvent {
  const rawPath = `/apis/${api}${path}`;
  return {
    version: '2.0',
    routeKey: 'ANY /apis/{apiName}/{path+}',
    rawPath,
    rawQueryString: init.query ?? '',
    headers: init.headers ?? {},
    pathParameters: { apiName: api, path: path.replace(/^\//, '') },
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: init.sourceIp ?? '203.0.113.7',
        userAgent: 'test',
      },
      requestId: `req-${++requestCounter}`,
      routeKey: 'ANY /apis/{apiName}/{path+}',
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
    ...(init.body !== undefined ? { body: init.body } : {}),
  };
}

/** The `Authorization` header of a signed gateway call. */
export function signedAuthorization(
  registered: RegisteredApp,
  method: string,
  api: string,
  path: string,
  query = '',
  body = '',
  contentType?: string,
): string {
  return signRequest(
    {
      method,
      path: `/apis/${api}${path}`,
      rawQueryString: query,
      body,
      ...(contentType ? { contentType } : {}),
    },
    { clientId: registered.clientId, secret: registered.clientSecret },
  ).authorization;
}
