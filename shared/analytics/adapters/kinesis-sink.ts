import { type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { AnalyticsSink, CallRecord } from '../call-record.ts';

/** Kinesis PutRecords takes at most 500 records per call. */
const MAX_BATCH = 500;

export class KinesisAnalyticsSink implements AnalyticsSink {
  constructor(
    private readonly kinesis: KinesisClient,
    private readonly streamName: string,
  ) {}

  async send(records: CallRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += MAX_BATCH) {
      const batch = records.slice(i, i + MAX_BATCH);
      const result = await this.kinesis.send(
        new PutRecordsCommand({
          StreamName: this.streamName,
          Records: batch.map((record) => ({
            Data: Buffer.from(JSON.stringify(record)),
            PartitionKey: record.appId ?? record.sourceIp,
          })),
        }),
      );
      if (result.FailedRecordCount)
        throw new Error(`${result.FailedRecordCount} analytics records were refused`);
    }
  }
}
