import { backgroundDynamoDocument } from '../../shared/aws/clients.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { dnsResolver } from '../../shared/egress/adapters/dns-resolver.ts';
import { EgressGuard } from '../../shared/egress/guard.ts';
import { parseEgressAllowList } from '../../shared/egress/policy.ts';
import { DynamoApiRegistry } from '../../shared/gateway/adapters/dynamo-api-registry.ts';
import { DynamoStateStore } from '../../shared/gateway/adapters/dynamo-state-store.ts';
import { httpProbe } from '../../shared/gateway/adapters/http-probe.ts';
import {
  runScheduledHealthCheck,
  type ScheduledHealthCheckSummary,
} from '../../shared/gateway/state/scheduled-health-check.ts';
import { count, createLogger, createMetrics, eventHandler } from '../../shared/observability.ts';

const config = loadSettings(['REGISTRY_TABLE', 'GATEWAY_STATE_TABLE', 'EGRESS_ALLOW']);

const logger = createLogger('gateway-health-check');
const metrics = createMetrics('gateway-health-check');
const registry = new DynamoApiRegistry(backgroundDynamoDocument, config.REGISTRY_TABLE);
const store = new DynamoStateStore(backgroundDynamoDocument, config.GATEWAY_STATE_TABLE);
const probe = httpProbe({
  egress: new EgressGuard(parseEgressAllowList(config.EGRESS_ALLOW), dnsResolver()),
  onEgressDenied: (denial) => logger.warn('probe refused by the egress policy', { ...denial }),
});

/** Scheduled every minute: probes the upstreams due and stores the results for the gateway instances. */
export const handler = eventHandler(logger, metrics, async (): Promise<ScheduledHealthCheckSummary> => {
  const summary = await runScheduledHealthCheck({ registry, store, probe }, Date.now());
  logger.info('upstreams checked', { ...summary });
  count(metrics, 'UpstreamsProbed', summary.probed);
  count(metrics, 'UpstreamProbesFailed', summary.failed);
  return summary;
});
