import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { aws } from './platform.ts';

/** Every call record in the local analytics stream so far. */
const streamName = 'portico-AnalyticsStream';

export async function analyticsRecords(): Promise<any[]> {
  const { kinesis } = aws();
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  const records: any[] = [];
  for (const shard of Shards) {
    let { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shard.ShardId!,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    for (let i = 0; i < 20 && ShardIterator; i++) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
      records.push(...(page.Records ?? []).map((r) => JSON.parse(Buffer.from(r.Data!).toString('utf8'))));
      if (!page.Records?.length) break;
      ShardIterator = page.NextShardIterator;
    }
  }
  return records;
}
