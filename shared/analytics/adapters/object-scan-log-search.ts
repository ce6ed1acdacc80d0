import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DELIVERY_LAG_MS, matchesLogQuery, newestFirst } from '../log-query.ts';
import type { LogQuery, LogSearch, LogSearchResult } from '../ports.ts';
import type { RequestLogRecord } from '../request-log.ts';
import { hourPrefixes } from '../request-log-layout.ts';

export interface ObjectScanLimits {
  /** Objects read per search at most. Default 2,000. */
  maxObjects?: number;
  /** Bytes read per search at most (compressed, as stored). Default 256 MB. */
  maxBytes?: number;
}

/**
 * Searches the request-log objects by reading them: every object of every hour the range covers,
 * newest hour first, each line parsed and filtered. What the local platform uses (the emulator runs no
 * Athena queries), and a fallback for short ranges anywhere; bounded, and says when it stopped early.
 */
export class ObjectScanLogSearch implements LogSearch {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly limits: ObjectScanLimits = {},
  ) {}

  async search(query: LogQuery): Promise<LogSearchResult> {
    const maxObjects = this.limits.maxObjects ?? 2_000;
    const maxBytes = this.limits.maxBytes ?? 256 * 1024 ** 2;
    const found: RequestLogRecord[] = [];
    let [objects, bytes] = [0, 0];
    const prefixes = hourPrefixes(Date.parse(query.from), Date.parse(query.to) + DELIVERY_LAG_MS).reverse();
    for (const prefix of prefixes) {
      let token: string | undefined;
      do {
        const listed = await this.s3.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const object of listed.Contents ?? []) {
          if (objects >= maxObjects || bytes + (object.Size ?? 0) > maxBytes)
            return { records: newestFirst(found, query.limit), incomplete: true };
          objects++;
          bytes += object.Size ?? 0;
          for (const record of await this.read(object.Key!))
            if (matchesLogQuery(record, query)) found.push(record);
        }
        token = listed.IsTruncated ? listed.NextContinuationToken : undefined;
      } while (token);
    }
    return { records: newestFirst(found, query.limit) };
  }

  private async read(key: string): Promise<RequestLogRecord[]> {
    const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    let data = Buffer.from(await Body!.transformToByteArray());
    if (data[0] === 0x1f && data[1] === 0x8b) data = gunzipSync(data);
    const records: RequestLogRecord[] = [];
    for (const line of data.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const record = JSON.parse(line) as RequestLogRecord;
        if (record?.kind === 'request' && typeof record.timestamp === 'string') records.push(record);
      } catch {
        // A malformed line is skipped, as the Athena table's SerDe skips it.
      }
    }
    return records;
  }
}
