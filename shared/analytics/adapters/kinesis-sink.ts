import { type KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import type { AnalyticsRecord, AnalyticsSink } from '../call-record.ts';
import { UndeliveredRecordsError } from '../record-sink.ts';

/** PutRecords limits: 500 records and 5 MiB per call, 1 MiB per record, partition keys included. */
const MAX_RECORDS_PER_CALL = 500;
const MAX_BYTES_PER_CALL = 5 * 1024 * 1024;
const MAX_BYTES_PER_RECORD = 1024 * 1024;
const MAX_PARTITION_KEY_LENGTH = 256;

export interface KinesisSinkOptions {
  /** Waits before each new try of the entries a call refused; one try per item. Default 50 ms, 200 ms. */
  retryDelaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
}

interface Entry {
  record: AnalyticsRecord;
  request: PutRecordsRequestEntry;
  bytes: number;
}

/**
 * Writes records with PutRecords, in as few calls as the limits allow. Entries a call refuses
 * (throttled shard, internal failure) are tried again on their own; whatever is still not delivered
 * is named in the `UndeliveredRecordsError` thrown at the end, so a caller resends only that.
 */
export class KinesisAnalyticsSink implements AnalyticsSink {
  private readonly retryDelaysMs: readonly number[];
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly kinesis: KinesisClient,
    private readonly streamName: string,
    options: KinesisSinkOptions = {},
  ) {
    this.retryDelaysMs = options.retryDelaysMs ?? [50, 200];
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async send(records: AnalyticsRecord[]): Promise<void> {
    const undelivered: AnalyticsRecord[] = [];
    const reasons = new Set<string>();
    const entries: Entry[] = [];
    for (const record of records) {
      const entry = toEntry(record);
      if (entry.bytes <= MAX_BYTES_PER_RECORD) entries.push(entry);
      else {
        undelivered.push(record);
        reasons.add('record over 1 MiB');
      }
    }

    let failure: unknown;
    for (const call of splitIntoCalls(entries)) {
      if (failure !== undefined) {
        undelivered.push(...call.map((entry) => entry.record));
        continue;
      }
      try {
        const refused = await this.put(call);
        for (const { entry, errorCode } of refused) {
          undelivered.push(entry.record);
          reasons.add(errorCode);
        }
      } catch (error) {
        // The SDK has already retried the call itself; later calls would most likely fail the same way.
        failure = error;
        undelivered.push(...call.map((entry) => entry.record));
        reasons.add(error instanceof Error ? error.name : 'error');
      }
    }

    if (undelivered.length > 0) {
      throw new UndeliveredRecordsError(
        `${undelivered.length} of ${records.length} analytics records were not delivered to ${this.streamName} (${[...reasons].join(', ')})`,
        undelivered,
        { cause: failure },
      );
    }
  }

  /** Puts one call's entries, then again only those refused; returns what is still refused. */
  private async put(entries: Entry[]): Promise<{ entry: Entry; errorCode: string }[]> {
    let pending = entries;
    for (let retry = 0; ; retry++) {
      const result = await this.kinesis.send(
        new PutRecordsCommand({
          StreamName: this.streamName,
          Records: pending.map((entry) => entry.request),
        }),
      );
      if (!result.FailedRecordCount) return [];
      const refused: { entry: Entry; errorCode: string }[] = [];
      pending.forEach((entry, i) => {
        const outcome = result.Records?.[i];
        // Without per-entry results there is no telling which arrived: all are tried again.
        if (!outcome || outcome.ErrorCode)
          refused.push({ entry, errorCode: outcome?.ErrorCode ?? 'unknown' });
      });
      const delayMs = this.retryDelaysMs[retry];
      if (refused.length === 0 || delayMs === undefined) return refused;
      await this.sleep(delayMs);
      pending = refused.map(({ entry }) => entry);
    }
  }
}

function toEntry(record: AnalyticsRecord): Entry {
  // `||`, not `??`: Kinesis refuses an empty partition key.
  const partitionKey = (
    record.kind === 'call'
      ? record.appId || record.sourceIp || record.requestId
      : record.appId || record.deliveryId
  ).slice(0, MAX_PARTITION_KEY_LENGTH);
  const data = Buffer.from(JSON.stringify(record));
  return {
    record,
    request: { Data: data, PartitionKey: partitionKey },
    bytes: data.length + Buffer.byteLength(partitionKey),
  };
}

function splitIntoCalls(entries: Entry[]): Entry[][] {
  const calls: Entry[][] = [];
  let call: Entry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    if (call.length === MAX_RECORDS_PER_CALL || bytes + entry.bytes > MAX_BYTES_PER_CALL) {
      calls.push(call);
      call = [];
      bytes = 0;
    }
    call.push(entry);
    bytes += entry.bytes;
  }
  if (call.length > 0) calls.push(call);
  return calls;
}
