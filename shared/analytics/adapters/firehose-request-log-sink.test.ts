import type { FirehoseClient } from '@aws-sdk/client-firehose';
import { describe, expect, it } from 'vitest';
import { UndeliveredRecordsError } from '../record-sink.ts';
import { type CallCapture, DEFAULT_REQUEST_LOG_POLICY } from '../request-log.ts';
import { sampleCallRecord } from '../testing/call-record.fixture.ts';
import { FirehoseRequestLogSink } from './firehose-request-log-sink.ts';

const capture = (n: number, body = '{"password":"hunter2","n":1}'): CallCapture => ({
  call: sampleCallRecord({ requestId: `r${n}` }),
  spanId: '00f067aa0ba902b7',
  rawQuery: 'token=abc',
  requestHeaders: { authorization: 'Bearer abc.def.ghi', 'content-type': 'application/json' },
  requestBody: Buffer.from(body),
  policy: { ...DEFAULT_REQUEST_LOG_POLICY, maxBodyBytes: 65_536 },
});

function fakeFirehose(refuse: (index: number) => boolean = () => false) {
  const batches: string[][] = [];
  const client = {
    send: async (command: { input: { Records: { Data: Uint8Array }[] } }) => {
      const lines = command.input.Records.map((r) => Buffer.from(r.Data).toString());
      batches.push(lines);
      const offset = batches.slice(0, -1).reduce((n, b) => n + b.length, 0);
      const responses = lines.map((_, i) =>
        refuse(offset + i) ? { ErrorCode: 'ServiceUnavailableException' } : { RecordId: 'x' },
      );
      return {
        FailedPutCount: responses.filter((r) => 'ErrorCode' in r).length,
        RequestResponses: responses,
      };
    },
  } as unknown as FirehoseClient;
  return { client, batches };
}

describe('FirehoseRequestLogSink', () => {
  it('writes each capture as one redacted JSON line, in calls of at most 500 records', async () => {
    const { client, batches } = fakeFirehose();
    await new FirehoseRequestLogSink(client, 'logs').send(
      Array.from({ length: 1_001 }, (_, i) => capture(i)),
    );
    expect(batches.map((b) => b.length)).toEqual([500, 500, 1]);
    const line = batches[0]![0]!;
    expect(line.endsWith('\n')).toBe(true);
    expect(line).not.toContain('hunter2');
    expect(line).not.toContain('abc.def.ghi');
    expect(JSON.parse(line)).toMatchObject({
      kind: 'request',
      requestId: 'r0',
      query: 'token=%5BREDACTED%5D',
    });
  });

  it('keeps a call under 4 MiB, and names exactly the captures Firehose refused', async () => {
    const { client, batches } = fakeFirehose((i) => i === 1);
    const big = 'x'.repeat(60_000);
    const captures = Array.from({ length: 80 }, (_, i) => capture(i, JSON.stringify({ big })));
    const error = await new FirehoseRequestLogSink(client, 'logs').send(captures).catch((e: unknown) => e);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches)
      expect(batch.reduce((n, l) => n + Buffer.byteLength(l), 0)).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(error).toBeInstanceOf(UndeliveredRecordsError);
    expect((error as UndeliveredRecordsError).undelivered).toEqual([captures[1]]);
  });
});
