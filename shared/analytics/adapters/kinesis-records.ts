import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import type { StreamRecord } from '../aggregate-stream.ts';
import { decodeAnalyticsRecord } from '../call-record.ts';

/** `<stream name>/<shard id>`: the stream's ARN ends in `stream/<name>`, the event id starts with the shard id. */
const shardOf = (record: KinesisStreamRecord) =>
  `${record.eventSourceARN.split('/').at(-1)}/${record.eventID.split(':')[0]}`;

/** The records of a Kinesis event as the aggregator takes them; `onUndecodable` hears of each bad one. */
export function streamRecordsOf(
  event: KinesisStreamEvent,
  onUndecodable: (sequenceNumber: string) => void = () => {},
): StreamRecord[] {
  return event.Records.map((r) => {
    const record = decodeAnalyticsRecord(Buffer.from(r.kinesis.data, 'base64').toString('utf8'));
    if (!record) onUndecodable(r.kinesis.sequenceNumber);
    return { shard: shardOf(r), sequence: r.kinesis.sequenceNumber, record };
  });
}
