import { type FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { type RecordSink, UndeliveredRecordsError } from '../record-sink.ts';
import { type CallCapture, type RequestLogRecord, requestLogOf } from '../request-log.ts';

/** PutRecordBatch limits: 500 records and 4 MiB per call, 1,000 KiB per record. */
const MAX_RECORDS_PER_CALL = 500;
const MAX_BYTES_PER_CALL = 4 * 1024 * 1024;
const MAX_BYTES_PER_RECORD = 1_000 * 1024;
/** Lines redacted in one turn of the event loop (about 0.3 ms). */
const LINES_PER_SLICE = 4;

/** A line of the log: JSON, newline-terminated, so the objects Firehose writes are JSON Lines. */
function lineOf(capture: CallCapture): Buffer {
  const record = requestLogOf(capture);
  const line = Buffer.from(`${JSON.stringify(record)}\n`);
  if (line.length <= MAX_BYTES_PER_RECORD) return line;
  const { body: _request, ...request } = record.request;
  const { body: _response, ...response } = record.response;
  const bare: RequestLogRecord = { ...record, request, response };
  return Buffer.from(`${JSON.stringify(bare)}\n`);
}

/**
 * Writes captured calls to the request-log delivery stream, redacting each one first (request-log.ts),
 * in as few PutRecordBatch calls as the limits allow. Captures a call refuses are named in the
 * `UndeliveredRecordsError`, so the recorder sends only those again.
 */
export class FirehoseRequestLogSink implements RecordSink<CallCapture> {
  constructor(
    private readonly firehose: FirehoseClient,
    private readonly deliveryStream: string,
  ) {}

  async send(captures: CallCapture[]): Promise<void> {
    // Redaction costs about 70 µs a line: done in slices between turns of the event loop, never in the
    // turn that recorded the call, so a batch leaving does not hold up the request in flight.
    const entries: { capture: CallCapture; line: Buffer }[] = [];
    for (let i = 0; i < captures.length; i++) {
      if (i % LINES_PER_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      entries.push({ capture: captures[i]!, line: lineOf(captures[i]!) });
    }
    const undelivered: CallCapture[] = [];
    let failure: unknown;
    for (let start = 0; start < entries.length; ) {
      let end = start;
      let bytes = 0;
      while (
        end < entries.length &&
        end - start < MAX_RECORDS_PER_CALL &&
        bytes + entries[end]!.line.length <= MAX_BYTES_PER_CALL
      )
        bytes += entries[end++]!.line.length;
      const call = entries.slice(start, end);
      start = end;
      if (failure !== undefined) {
        undelivered.push(...call.map((e) => e.capture));
        continue;
      }
      try {
        const result = await this.firehose.send(
          new PutRecordBatchCommand({
            DeliveryStreamName: this.deliveryStream,
            Records: call.map((e) => ({ Data: e.line })),
          }),
        );
        if (result.FailedPutCount)
          call.forEach((e, i) => {
            if (result.RequestResponses?.[i]?.ErrorCode || !result.RequestResponses?.[i])
              undelivered.push(e.capture);
          });
      } catch (error) {
        failure = error;
        undelivered.push(...call.map((e) => e.capture));
      }
    }
    if (undelivered.length > 0)
      throw new UndeliveredRecordsError(
        `${undelivered.length} of ${captures.length} request logs were not delivered to ${this.deliveryStream}`,
        undelivered,
        { cause: failure },
      );
  }
}
