import { randomUUID } from 'node:crypto';
import { FirehoseRequestLogSink } from '../../shared/analytics/adapters/firehose-request-log-sink.ts';
import { KinesisAnalyticsSink } from '../../shared/analytics/adapters/kinesis-sink.ts';
import { BatchingRecorder } from '../../shared/analytics/batching-recorder.ts';
import { backgroundDynamoDocument, dynamoDocument } from '../../shared/aws/dynamo.ts';
import { eventBridge } from '../../shared/aws/event-bridge.ts';
import { firehose } from '../../shared/aws/firehose.ts';
import { kinesis } from '../../shared/aws/kinesis.ts';
import { kms } from '../../shared/aws/kms.ts';
import { secretsManager } from '../../shared/aws/secrets-manager.ts';
import { TtlCache } from '../../shared/cache.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { dnsResolver } from '../../shared/egress/adapters/dns-resolver.ts';
import { EgressGuard } from '../../shared/egress/guard.ts';
import { parseEgressAllowList } from '../../shared/egress/policy.ts';
import { DynamoApiRegistry } from '../../shared/gateway/adapters/dynamo-api-registry.ts';
import { DynamoLeaseStore } from '../../shared/gateway/adapters/dynamo-lease-store.ts';
import { DynamoStateStore } from '../../shared/gateway/adapters/dynamo-state-store.ts';
import { EventBridgePublisher } from '../../shared/gateway/adapters/eventbridge-publisher.ts';
import { httpTransport } from '../../shared/gateway/adapters/http-transport.ts';
import { BulkheadRegistry } from '../../shared/gateway/bulkhead/bulkhead.ts';
import { callOutcomeMetric } from '../../shared/gateway/call-outcome.ts';
import { CallerAuthentication } from '../../shared/gateway/caller-authentication.ts';
import { breakerEventEntry } from '../../shared/gateway/circuit-breaker/events.ts';
import { BreakerRegistry } from '../../shared/gateway/circuit-breaker/registry.ts';
import { checkDeploymentGroups, checkServedHere } from '../../shared/gateway/deployment-groups.ts';
import { DeprecatedCallSightings } from '../../shared/gateway/deprecated-calls.ts';
import { Gateway } from '../../shared/gateway/gateway.ts';
import {
  apiNameOf,
  invokeGateway,
  refusalStatus,
  viaGroupRoute,
} from '../../shared/gateway/http/api-gateway.ts';
import { AppPlans } from '../../shared/gateway/rate-limit/app-plans.ts';
import { RateLimiter } from '../../shared/gateway/rate-limit/limiter.ts';
import { RegistryCache } from '../../shared/gateway/registry-cache.ts';
import { BreakerEventPublisher } from '../../shared/gateway/state/breaker-events.ts';
import { GatewayStateSync } from '../../shared/gateway/state/state-sync.ts';
import { TargetAllowList } from '../../shared/gateway/upstream-targets.ts';
import { UpstreamPools } from '../../shared/gateway/upstreams/balancer.ts';
import { hotPathHttpHandler } from '../../shared/http/http-stack.ts';
import { DynamoAppStore } from '../../shared/identity/adapters/dynamo-app-store.ts';
import { DynamoNonceStore } from '../../shared/identity/adapters/dynamo-nonce-store.ts';
import { KmsSecretCipher } from '../../shared/identity/adapters/kms-secret-cipher.ts';
import { SecretsManagerSigningKeyStore } from '../../shared/identity/adapters/signing-key-stores.ts';
import { tableBackedValidator } from '../../shared/identity/adapters/table-backed-validator.ts';
import { signerOf } from '../../shared/identity/identity-token.ts';
import { count, createLogger, createMetrics } from '../../shared/observability.ts';
import { dynamoPartnerStores } from '../../shared/partners/adapters/dynamo-partner-stores.ts';
import { PartnerHealthReader, snapshotFromStores } from '../../shared/partners/health-reader.ts';
import { PartnerGate } from '../../shared/partners/partner-gate.ts';
import { PartnerTrafficCounter, trafficCounterOptions } from '../../shared/partners/traffic-counter.ts';
import { handOff, invokeFunction } from './upstream-clients.ts';

const config = loadSettings([
  'IDENTITY_TABLE',
  'REGISTRY_TABLE',
  'ANALYTICS_STREAM',
  'TOKEN_ISSUER',
  'SECRETS_KEY_ID',
  'RATE_LIMIT_TABLE',
  'GATEWAY_STATE_TABLE',
  'EVENT_BUS_NAME',
  'EGRESS_ALLOW',
  'PARTNERS_TABLE',
  'PARTNER_HEALTH_WINDOW_SECONDS',
  'REQUEST_LOG_STREAM',
  'IDENTITY_SIGNING_KEYS_SECRET',
  'UPSTREAM_TARGET_PREFIX',
  'GATEWAY_GROUPS',
]);
/** The deployment's API groups: a call that reached another group's function is refused. */
const groups = checkDeploymentGroups(JSON.parse(config.GATEWAY_GROUPS));

const logger = createLogger('gateway');
const metrics = createMetrics('gateway');
const errorName = (error: unknown) => (error as Error)?.name ?? 'Error';

const events = new BreakerEventPublisher(new EventBridgePublisher(eventBridge, config.EVENT_BUS_NAME), {
  onError: (error) => logger.warn('breaker events not published', { error: errorName(error) }),
});
const breakers = new BreakerRegistry({
  onTransition: (key, event) => {
    logger.info('circuit breaker changed state', {
      key,
      from: event.from,
      to: event.to,
      reason: event.reason,
    });
    events.enqueue(breakerEventEntry(key, event));
    count(metrics, event.to === 'open' ? 'BreakersOpened' : 'BreakerTransitions');
  },
});
const pools = new UpstreamPools();
const state = new GatewayStateSync({
  store: new DynamoStateStore(backgroundDynamoDocument, config.GATEWAY_STATE_TABLE),
  breakers,
  pools,
  onError: (error) => logger.warn('gateway state sync failed', { error: errorName(error) }),
});
const recorder = new BatchingRecorder(new KinesisAnalyticsSink(kinesis, config.ANALYTICS_STREAM), {
  onError: (error, lost) => logger.error('analytics records lost', { lost, error: errorName(error) }),
});
recorder.flushOnShutdown();
const requestLog = new BatchingRecorder(new FirehoseRequestLogSink(firehose, config.REQUEST_LOG_STREAM), {
  onError: (error, lost) => logger.error('request logs lost', { lost, error: errorName(error) }),
});
requestLog.flushOnShutdown();

const apps = new DynamoAppStore(dynamoDocument, config.IDENTITY_TABLE);
// Partner health: read in the background within 50 ms, never on the request's own clock past that.
const partnerStores = dynamoPartnerStores(
  backgroundDynamoDocument,
  kms,
  config.SECRETS_KEY_ID,
  config.PARTNERS_TABLE,
  (key) => logger.error('partner record signature failed', key),
);
const partners = new PartnerGate(
  new PartnerHealthReader(snapshotFromStores(partnerStores)),
  new PartnerTrafficCounter(
    partnerStores.traffic,
    randomUUID(),
    (error) => logger.warn('partner traffic not written', { error: errorName(error) }),
    trafficCounterOptions(config.PARTNER_HEALTH_WINDOW_SECONDS * 1000),
  ),
);
// The identity tokens' current key, read again every 5 minutes: a rotation publishes the next key a
// rotation ahead and keeps the previous one, so a key a few minutes old still verifies. Loaded by the
// first call (not at init, which may run before a fresh deployment's first keys exist).
const identitySigners = new TtlCache(async () => {
  const signer = signerOf(
    await new SecretsManagerSigningKeyStore(secretsManager, config.IDENTITY_SIGNING_KEYS_SECRET).load(),
  );
  if (!signer) throw new Error('no current identity signing key');
  return signer;
}, 300_000);
const identitySigner = () =>
  identitySigners.get().catch((error) => {
    logger.error('identity signing key unavailable: calls are refused', { error: errorName(error) });
    throw error;
  });

const gateway = new Gateway({
  registry: new RegistryCache(new DynamoApiRegistry(dynamoDocument, config.REGISTRY_TABLE), {
    onRefreshError: (error) =>
      logger.warn('registry check failed; serving the last view', { error: errorName(error) }),
  }),
  callers: new CallerAuthentication(
    tableBackedValidator(dynamoDocument, config.IDENTITY_TABLE, config.TOKEN_ISSUER),
    {
      apps,
      cipher: new KmsSecretCipher(kms, config.SECRETS_KEY_ID),
      nonces: new DynamoNonceStore(dynamoDocument, config.IDENTITY_TABLE),
    },
  ),
  appPlans: new AppPlans(apps),
  limiter: new RateLimiter({
    store: new DynamoLeaseStore(dynamoDocument, config.RATE_LIMIT_TABLE),
    onStoreFailure: (error, key) => {
      logger.warn('rate-limit store failed; allowing', { key, error: errorName(error) });
      count(metrics, 'RateLimitStoreFailures');
    },
  }),
  breakers,
  bulkheads: new BulkheadRegistry(),
  pools,
  requestLog,
  recorder: {
    record: (call) => {
      recorder.record(call);
      count(metrics, callOutcomeMetric(call));
    },
  },
  transport: httpTransport({
    egress: new EgressGuard(parseEgressAllowList(config.EGRESS_ALLOW), dnsResolver()),
    onEgressDenied: (denial) => logger.warn('upstream refused by the egress policy', { ...denial }),
  }),
  functions: invokeFunction,
  asyncSender: handOff,
  targets: new TargetAllowList(config.UPSTREAM_TARGET_PREFIX),
  statusOf: refusalStatus,
  afterCall: () => state.maybeSync(),
  partners,
  deprecatedCalls: new DeprecatedCallSightings(
    (entry) => events.enqueue(entry),
    10_000,
    config.EVENT_BUS_NAME,
  ),
  identityTokens: { issuer: config.TOKEN_ISSUER, signer: identitySigner },
});

const invoke = invokeGateway(gateway);

/**
 * `ANY /apis/{apiName}/{path+}`, and a group's `ANY /apis/<api>/{path+}`: the invoke pipeline
 * (`shared/gateway/gateway.ts`) for the APIs this function serves.
 */
export const handler = hotPathHttpHandler(
  logger,
  async (event) => {
    checkServedHere(groups, apiNameOf(event), viaGroupRoute(event));
    return invoke(event);
  },
  metrics,
);
