import { backgroundDynamoDocument } from '../../shared/aws/dynamo.ts';
import { kms } from '../../shared/aws/kms.ts';
import { sqs } from '../../shared/aws/sqs.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { eventHandler } from '../../shared/event-handler.ts';
import { count, createLogger, createMetrics } from '../../shared/observability.ts';
import { dynamoPartnerStores } from '../../shared/partners/adapters/dynamo-partner-stores.ts';
import { sqsPollQueue } from '../../shared/partners/adapters/sqs-poll-queue.ts';
import { partnersDue, pollingAlarms } from '../../shared/partners/poll-partner.ts';

const config = loadSettings(['PARTNERS_TABLE', 'SECRETS_KEY_ID', 'PARTNER_POLL_QUEUE_URL']);
const logger = createLogger('partners-schedule-polls');
const metrics = createMetrics('partners-schedule-polls');
const stores = dynamoPartnerStores(
  backgroundDynamoDocument,
  kms,
  config.SECRETS_KEY_ID,
  config.PARTNERS_TABLE,
  () => {},
);
const enqueue = sqsPollQueue(sqs, config.PARTNER_POLL_QUEUE_URL);

/** Failed intervals in a row after which a partner's polling alarms. */
export const POLL_FAILURES_ALARM = 3;

/**
 * Every minute: one poll job per partner whose interval begins, and the polling alarms — a partner
 * failing `POLL_FAILURES_ALARM` intervals in a row, and polling failing for every partner (seed 003:
 * 万一真的都挂了,就要触发监控和报警).
 */
export const handler = eventHandler(logger, metrics, async () => {
  const now = Date.now();
  const due = partnersDue(await stores.partners.list(), now);
  await enqueue(due);
  const alarms = pollingAlarms(await stores.pollLog.list(), POLL_FAILURES_ALARM);
  count(metrics, 'PartnerPollsQueued', due.length);
  count(metrics, 'PartnersPollingStuck', alarms.stuck.length);
  count(metrics, 'PartnerPollingAllFailing', alarms.allFailing ? 1 : 0);
  if (alarms.stuck.length > 0) logger.warn('partner polling keeps failing', { partners: alarms.stuck });
  return { queued: due.length, ...alarms };
});
