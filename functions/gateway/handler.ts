import { KinesisAnalyticsSink } from '../../shared/analytics/adapters/kinesis-sink.ts';
import type { CallRecord } from '../../shared/analytics/call-record.ts';
import { dynamoDocument, kinesis, kms } from '../../shared/aws/clients.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { DynamoApiRegistry } from '../../shared/gateway/adapters/dynamo-api-registry.ts';
import { API_NAME_PATTERN, type ApiDefinition } from '../../shared/gateway/api-definition.ts';
import { CachedRegistry } from '../../shared/gateway/cached-registry.ts';
import { CallerAuthentication } from '../../shared/gateway/caller-authentication.ts';
import { forward } from '../../shared/gateway/forward.ts';
import { IpRules } from '../../shared/gateway/ip-rules.ts';
import { DynamoLeaseStore } from '../../shared/gateway/rate-limit/dynamo-lease-store.ts';
import { RateLimiter } from '../../shared/gateway/rate-limit/limiter.ts';
import { rulesFor } from '../../shared/gateway/rate-limit/policy.ts';
import { rateLimitedProblem } from '../../shared/gateway/rate-limit/problem.ts';
import { rawBody } from '../../shared/http/body.ts';
import { httpHandler } from '../../shared/http/middleware.ts';
import { isProblemError, ProblemError } from '../../shared/http/problem.ts';
import { type HttpResult, header } from '../../shared/http/types.ts';
import { DynamoAppStore } from '../../shared/identity/adapters/dynamo-app-store.ts';
import { DynamoNonceStore } from '../../shared/identity/adapters/dynamo-nonce-store.ts';
import { KmsSecretCipher } from '../../shared/identity/adapters/kms-secret-cipher.ts';
import { tableBackedValidator } from '../../shared/identity/adapters/table-backed-validator.ts';
import { createLogger } from '../../shared/logger.ts';
import { continueTrace } from '../../shared/tracing/traceparent.ts';

const config = loadSettings([
  'IDENTITY_TABLE',
  'REGISTRY_TABLE',
  'ANALYTICS_STREAM',
  'TOKEN_ISSUER',
  'SECRETS_KEY_ID',
  'RATE_LIMIT_TABLE',
]);

const logger = createLogger('gateway');
const callers = new CallerAuthentication(
  tableBackedValidator(dynamoDocument, config.IDENTITY_TABLE, config.TOKEN_ISSUER),
  {
    apps: new DynamoAppStore(dynamoDocument, config.IDENTITY_TABLE),
    cipher: new KmsSecretCipher(kms, config.SECRETS_KEY_ID),
    nonces: new DynamoNonceStore(dynamoDocument, config.IDENTITY_TABLE),
  },
);
/** Definitions are cached 5 s, so a registry change reaches every warm instance within 10 s. */
const registry = new CachedRegistry(new DynamoApiRegistry(dynamoDocument, config.REGISTRY_TABLE), 5_000);
const analytics = new KinesisAnalyticsSink(kinesis, config.ANALYTICS_STREAM);
/** Shared budgets across instances, leased in batches; a store outage fails open and is logged. */
const limiter = new RateLimiter({
  store: new DynamoLeaseStore(dynamoDocument, config.RATE_LIMIT_TABLE),
  onStoreFailure: (error, key) =>
    logger.warn('rate-limit store failed; allowing', { key, error: (error as Error).name }),
});

const apiPrefix = /^\/apis\/[^/]+/;
const API_NAME = new RegExp(API_NAME_PATTERN);

/** Parsed IP rules per cached definition object (a new revision is a new object). */
const ipRules = new WeakMap<ApiDefinition, IpRules>();
function ipRulesOf(api: ApiDefinition): IpRules {
  let rules = ipRules.get(api);
  if (!rules) {
    rules = new IpRules(api.ipRules);
    ipRules.set(api, rules);
  }
  return rules;
}

/**
 * `ANY /apis/{apiName}/{path+}`: find the API, apply its IP rules, authenticate (token or signature),
 * check auth mode and scopes, forward, record.
 */
export const handler = httpHandler(logger, async (event) => {
  const started = performance.now();
  const trace = continueTrace(header(event, 'traceparent'));
  const apiName = event.pathParameters?.apiName ?? '';
  const { http } = event.requestContext;
  const record: CallRecord = {
    v: 1,
    kind: 'call',
    requestId: event.requestContext.requestId,
    traceId: trace.traceId,
    timestamp: new Date().toISOString(),
    api: apiName.slice(0, 64),
    method: http.method,
    path: event.rawPath.slice(0, 512),
    status: 0,
    latencyMs: 0,
    bytesIn: 0,
    bytesOut: 0,
    sourceIp: http.sourceIp,
  };
  try {
    const api = API_NAME.test(apiName) ? await registry.get(apiName) : undefined;
    if (!api) throw new ProblemError('unknown-api', `No API is registered as "${apiName.slice(0, 64)}".`);
    if (!ipRulesOf(api).admits(http.sourceIp)) {
      throw new ProblemError('forbidden', 'Calls to this API are not accepted from your network address.');
    }

    const caller = await callers.authenticate(event);
    Object.assign(record, { appId: caller.appId, clientId: caller.clientId });
    if (!api.authModes.includes(caller.via)) {
      throw new ProblemError(
        'forbidden',
        `This API does not accept ${caller.via === 'token' ? 'access tokens' : 'signed requests'}.`,
      );
    }
    const missing = api.requiredScopes.filter((s) => !caller.scopes.includes(s));
    if (missing.length > 0)
      throw new ProblemError('forbidden', `The token lacks scope ${missing.join(' ')}.`);

    const limits = await limiter.check(
      rulesFor({ appId: caller.appId, api: api.name, ip: http.sourceIp }, { api: api.rateLimits }),
    );
    if (!limits.allowed) throw rateLimitedProblem(limits);

    const body = rawBody(event);
    record.bytesIn = body.length;
    const answer = await forward(
      api,
      {
        method: http.method,
        path: event.rawPath.replace(apiPrefix, ''),
        rawQueryString: event.rawQueryString,
        headers: event.headers,
        body,
        sourceIp: http.sourceIp,
        requestId: event.requestContext.requestId,
      },
      caller,
      trace,
    );
    Object.assign(record, {
      status: answer.status,
      upstreamLatencyMs: answer.upstreamLatencyMs,
      bytesOut: answer.body.length,
    });
    return {
      statusCode: answer.status,
      headers: { ...answer.headers, ...limits.headers },
      body: answer.body.toString('base64'),
      isBase64Encoded: true,
    } satisfies HttpResult;
  } catch (error) {
    record.status = isProblemError(error) ? error.status : 500;
    record.errorType = isProblemError(error) ? error.code : 'internal';
    throw error;
  } finally {
    record.latencyMs = performance.now() - started;
    await analytics.send([record]).catch((error) => logger.error('analytics record lost', { error }));
  }
});
