import { backgroundDynamoDocument } from '../../shared/aws/dynamo.ts';
import { eventBridge } from '../../shared/aws/event-bridge.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { dnsResolver } from '../../shared/egress/adapters/dns-resolver.ts';
import { EgressGuard } from '../../shared/egress/guard.ts';
import { parseEgressAllowList } from '../../shared/egress/policy.ts';
import { eventHandler } from '../../shared/event-handler.ts';
import { DynamoApiRegistry } from '../../shared/gateway/adapters/dynamo-api-registry.ts';
import { DynamoStateStore } from '../../shared/gateway/adapters/dynamo-state-store.ts';
import { EventBridgePublisher } from '../../shared/gateway/adapters/eventbridge-publisher.ts';
import { httpProbe } from '../../shared/gateway/adapters/http-probe.ts';
import {
  announceThrough,
  runScheduledHealthCheck,
} from '../../shared/gateway/state/scheduled-health-check.ts';
import { count, createLogger, createMetrics } from '../../shared/observability.ts';

const config = loadSettings(['REGISTRY_TABLE', 'GATEWAY_STATE_TABLE', 'EGRESS_ALLOW', 'EVENT_BUS_NAME']);

const logger = createLogger('gateway-health-check');
const metrics = createMetrics('gateway-health-check');
const registry = new DynamoApiRegistry(backgroundDynamoDocument, config.REGISTRY_TABLE);
const store = new DynamoStateStore(backgroundDynamoDocument, config.GATEWAY_STATE_TABLE);
const probe = httpProbe({
  egress: new EgressGuard(parseEgressAllowList(config.EGRESS_ALLOW), dnsResolver()),
  onEgressDenied: (denial) => logger.warn('probe refused by the egress policy', { ...denial }),
});
// Changed verdicts go on the bus, where a rule takes them to the upstream alerts (their providers).
const announce = announceThrough(new EventBridgePublisher(eventBridge, config.EVENT_BUS_NAME));

/**
 * Scheduled every minute: probes the upstreams due, announces the servers whose verdict changed, and
 * stores the results for the gateway instances.
 */
export const handler = eventHandler(logger, metrics, async () => {
  const summary = await runScheduledHealthCheck({ registry, store, probe, announce }, Date.now());
  const { changes, ...figures } = summary;
  logger.info('upstreams checked', {
    ...figures,
    changed: changes.map(({ detail }) => `${detail.api} ${detail.server} ${detail.healthy ? 'up' : 'down'}`),
  });
  count(metrics, 'UpstreamsProbed', summary.probed);
  count(metrics, 'UpstreamProbesFailed', summary.failed);
  count(metrics, 'UpstreamHealthChanges', changes.length);
  count(metrics, 'UpstreamHealthUnannounced', summary.unannounced);
  return { ...figures, changed: changes.length };
});
