import type { KinesisStreamEvent } from 'aws-lambda';
import { DynamoAggregateStore } from '../../shared/analytics/adapters/dynamo-aggregate-store.ts';
import { streamRecordsOf } from '../../shared/analytics/adapters/kinesis-records.ts';
import { aggregateStream } from '../../shared/analytics/aggregate-stream.ts';
import { backgroundDynamoDocument } from '../../shared/aws/dynamo.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { eventHandler } from '../../shared/event-handler.ts';
import { count, createLogger, createMetrics } from '../../shared/observability.ts';

const config = loadSettings(['ANALYTICS_TABLE']);

const logger = createLogger('analytics-aggregate');
const metrics = createMetrics('analytics-aggregate');
const store = new DynamoAggregateStore(backgroundDynamoDocument, config.ANALYTICS_TABLE);

/**
 * Kinesis → aggregates, exactly once per record (aggregate-stream.ts). An undecodable record is logged
 * and passed over, never retried forever; a failed write fails the batch, which the mapping retries
 * (bisecting it) and the cells' per-shard marks keep from being counted twice.
 */
export const handler = eventHandler(logger, metrics, async (event: KinesisStreamEvent): Promise<void> => {
  const records = streamRecordsOf(event, (sequenceNumber) =>
    logger.warn('skipped an undecodable record', { sequenceNumber }),
  );
  const result = await aggregateStream(store, records);
  count(metrics, 'AnalyticsRecordsAggregated', result.added);
  count(metrics, 'AnalyticsRecordsAlreadyAggregated', result.alreadyAdded);
  count(metrics, 'AnalyticsRecordsSkipped', result.undecodable);
  logger.info('aggregated', { ...result });
});
