import type { KinesisStreamEvent } from 'aws-lambda';
import { DynamoAggregateStore } from '../../shared/analytics/adapters/dynamo-aggregate-store.ts';
import type { AnalyticsRecord, CallRecord } from '../../shared/analytics/call-record.ts';
import { aggregateByMinute } from '../../shared/analytics/minute-aggregate.ts';
import { backgroundDynamoDocument } from '../../shared/aws/clients.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { count, createLogger, createMetrics, eventHandler } from '../../shared/observability.ts';

const config = loadSettings(['ANALYTICS_TABLE']);

const logger = createLogger('analytics-aggregate');
const metrics = createMetrics('analytics-aggregate');
const store = new DynamoAggregateStore(backgroundDynamoDocument, config.ANALYTICS_TABLE);

/** Kinesis → per-minute aggregates. Undecodable records are logged and skipped, never retried forever. */
export const handler = eventHandler(logger, metrics, async (event: KinesisStreamEvent): Promise<void> => {
  const records: CallRecord[] = [];
  for (const { kinesis } of event.Records) {
    try {
      const record = JSON.parse(Buffer.from(kinesis.data, 'base64').toString('utf8')) as AnalyticsRecord;
      if (record?.kind === 'call' && typeof record.timestamp === 'string') records.push(record);
      // Delivery attempts are kept for the request log; the call aggregates do not count them.
      else if (record?.kind !== 'delivery') {
        logger.warn('skipped a record of unknown shape', { sequenceNumber: kinesis.sequenceNumber });
      }
    } catch {
      logger.warn('skipped an undecodable record', { sequenceNumber: kinesis.sequenceNumber });
    }
  }
  await store.add(aggregateByMinute(records));
  count(metrics, 'CallRecordsAggregated', records.length);
  count(metrics, 'CallRecordsSkipped', event.Records.length - records.length);
  logger.info('aggregated', { records: records.length });
});
