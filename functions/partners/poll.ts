import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { backgroundDynamoDocument } from '../../shared/aws/dynamo.ts';
import { kms } from '../../shared/aws/kms.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { dnsResolver } from '../../shared/egress/adapters/dns-resolver.ts';
import { EgressGuard } from '../../shared/egress/guard.ts';
import { parseEgressAllowList } from '../../shared/egress/policy.ts';
import { eventHandler } from '../../shared/event-handler.ts';
import { KmsSecretCipher } from '../../shared/identity/adapters/kms-secret-cipher.ts';
import { count, createLogger, createMetrics } from '../../shared/observability.ts';
import { dynamoPartnerStores } from '../../shared/partners/adapters/dynamo-partner-stores.ts';
import { noticeFetcher } from '../../shared/partners/adapters/partner-http.ts';
import { type PollDeps, pollPartner } from '../../shared/partners/poll-partner.ts';

const config = loadSettings(['PARTNERS_TABLE', 'SECRETS_KEY_ID', 'EGRESS_ALLOW']);
const logger = createLogger('partners-poll');
const metrics = createMetrics('partners-poll');
const stores = dynamoPartnerStores(
  backgroundDynamoDocument,
  kms,
  config.SECRETS_KEY_ID,
  config.PARTNERS_TABLE,
  (key) => logger.error('partner record signature failed', key),
);
const deps: PollDeps = {
  notices: stores.notices,
  once: stores.once,
  log: stores.pollLog,
  cipher: new KmsSecretCipher(kms, config.SECRETS_KEY_ID),
  fetch: noticeFetcher(new EgressGuard(parseEgressAllowList(config.EGRESS_ALLOW), dnsResolver())),
};
const processor = new BatchProcessor(EventType.SQS);

/** One poll of one partner's notice endpoint per job; a job for a deleted partner is done. */
async function poll(record: SQSRecord): Promise<void> {
  const { partnerId } = JSON.parse(record.body) as { partnerId: string };
  const partner = await stores.partners.get(partnerId);
  if (!partner) return;
  const outcome = await pollPartner(deps, partner, Date.now());
  if (outcome.result === 'polled') {
    count(metrics, 'PartnerPolls');
    count(
      metrics,
      'PartnerNoticesChanged',
      outcome.recorded.created.length + outcome.recorded.changed.length,
    );
    if (outcome.skipped.length > 0)
      logger.warn('partner notices skipped', { partnerId, skipped: outcome.skipped });
  } else if (outcome.result === 'failed') {
    count(metrics, 'PartnerPollFailures');
    logger.warn('partner poll failed', {
      partnerId,
      detail: outcome.detail,
      inARow: outcome.consecutiveFailures,
    });
  }
}

export const handler = eventHandler(logger, metrics, (event: SQSEvent) =>
  processPartialResponse(event, poll, processor),
);
