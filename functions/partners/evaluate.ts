import { backgroundDynamoDocument } from '../../shared/aws/dynamo.ts';
import { kms } from '../../shared/aws/kms.ts';
import { sqs } from '../../shared/aws/sqs.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { dnsResolver } from '../../shared/egress/adapters/dns-resolver.ts';
import { EgressGuard } from '../../shared/egress/guard.ts';
import { parseEgressAllowList } from '../../shared/egress/policy.ts';
import { eventHandler } from '../../shared/event-handler.ts';
import { DynamoDeliveryStore } from '../../shared/messages/adapters/dynamo-delivery-store.ts';
import { DynamoMessageStore } from '../../shared/messages/adapters/dynamo-message-store.ts';
import { DynamoSubscriptionStore } from '../../shared/messages/adapters/dynamo-subscription-store.ts';
import { SqsDeliveryQueue } from '../../shared/messages/adapters/sqs-delivery-queue.ts';
import { count, createLogger, createMetrics } from '../../shared/observability.ts';
import { dynamoPartnerStores } from '../../shared/partners/adapters/dynamo-partner-stores.ts';
import { partnerHealthMessages } from '../../shared/partners/adapters/partner-health-messages.ts';
import { prober } from '../../shared/partners/adapters/partner-http.ts';
import {
  DEFAULT_EVALUATE_OPTIONS,
  type EvaluateDeps,
  evaluateHealth,
} from '../../shared/partners/evaluate-health.ts';

const config = loadSettings([
  'PARTNERS_TABLE',
  'SECRETS_KEY_ID',
  'EGRESS_ALLOW',
  'MESSAGES_TABLE',
  'DELIVERY_QUEUE_URL',
  'PARTNER_HEALTH_WINDOW_SECONDS',
]);
const logger = createLogger('partners-evaluate');
const metrics = createMetrics('partners-evaluate');
let forgeries = 0;
const stores = dynamoPartnerStores(
  backgroundDynamoDocument,
  kms,
  config.SECRETS_KEY_ID,
  config.PARTNERS_TABLE,
  (key) => {
    forgeries++;
    logger.error('partner record signature failed', key);
  },
);
const deps: EvaluateDeps = {
  partners: stores.partners,
  states: stores.states,
  notices: stores.notices,
  traffic: stores.traffic,
  once: stores.once,
  history: stores.transitions,
  probe: prober(new EgressGuard(parseEgressAllowList(config.EGRESS_ALLOW), dnsResolver())),
  publish: partnerHealthMessages({
    messages: new DynamoMessageStore(backgroundDynamoDocument, config.MESSAGES_TABLE),
    subscriptions: new DynamoSubscriptionStore(backgroundDynamoDocument, config.MESSAGES_TABLE),
    deliveries: new DynamoDeliveryStore(backgroundDynamoDocument, config.MESSAGES_TABLE),
    queue: new SqsDeliveryQueue(sqs, config.DELIVERY_QUEUE_URL),
    clock: Date.now,
  }),
};

/**
 * Every minute (at most once per health window): one round of automatic health (probes, calls, the machine, notices, transitions).
 * Its metrics carry the alarms: the panic guard holding notices back, and notice records whose
 * signature failed (read every round, so a forged record is found within a minute).
 */
export const handler = eventHandler(logger, metrics, async () => {
  forgeries = 0;
  const result = await evaluateHealth(deps, Date.now(), {
    ...DEFAULT_EVALUATE_OPTIONS,
    windowMs: config.PARTNER_HEALTH_WINDOW_SECONDS * 1000,
  });
  if ('skipped' in result) return result;
  count(metrics, 'PartnersEvaluated', result.evaluated);
  count(metrics, 'PartnerTransitions', result.transitions.length);
  count(metrics, 'PartnerHealthPanic', result.panic ? 1 : 0);
  count(metrics, 'PartnerRecordForgeries', forgeries);
  count(metrics, 'PartnerTransitionsUnpublished', result.unpublished.length);
  if (result.panic) logger.error('panic guard: too many partners unhealthy at once', { held: result.held });
  for (const t of result.transitions) logger.info('partner health moved', { ...t });
  return { ...result, forgeries };
});
