import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { DynamoAggregateStore } from '../../shared/analytics/adapters/dynamo-aggregate-store.ts';
import { aggregateStream, type StreamRecord } from '../../shared/analytics/aggregate-stream.ts';
import { decodeAnalyticsRecord } from '../../shared/analytics/call-record.ts';
import { backgroundDynamoDocument } from '../../shared/aws/clients.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { count, createLogger, createMetrics, eventHandler } from '../../shared/observability.ts';

const config = loadSettings(['ANALYTICS_TABLE']);

const logger = createLogger('analytics-aggregate');
const metrics = createMetrics('analytics-aggregate');
const store = new DynamoAggregateStore(backgroundDynamoDocument, config.ANALYTICS_TABLE);

/** `<stream name>/<shard id>`: the stream's ARN ends in `stream/<name>`, the event id starts with the shard id. */
const shardOf = (record: KinesisStreamRecord) =>
  `${record.eventSourceARN.split('/').at(-1)}/${record.eventID.split(':')[0]}`;

/**
 * Kinesis → aggregates, exactly once per record (aggregate-stream.ts). An undecodable record is logged
 * and passed over, never retried forever; a failed write fails the batch, which the mapping retries
 * (bisecting it) and the checkpoint keeps from being counted twice.
 */
export const handler = eventHandler(logger, metrics, async (event: KinesisStreamEvent): Promise<void> => {
  const records: StreamRecord[] = event.Records.map((r) => {
    const record = decodeAnalyticsRecord(Buffer.from(r.kinesis.data, 'base64').toString('utf8'));
    if (!record) logger.warn('skipped an undecodable record', { sequenceNumber: r.kinesis.sequenceNumber });
    return { shard: shardOf(r), sequence: r.kinesis.sequenceNumber, record };
  });
  const result = await aggregateStream(store, records);
  count(metrics, 'AnalyticsRecordsAggregated', result.added);
  count(metrics, 'AnalyticsRecordsAlreadyAggregated', result.alreadyAdded);
  count(metrics, 'AnalyticsRecordsSkipped', result.undecodable);
  logger.info('aggregated', { ...result });
});
