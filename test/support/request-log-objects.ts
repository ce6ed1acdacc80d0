import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListBucketsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { localClients } from '../../local/aws.ts';

/** Credential shapes no request log may hold: JWTs (access tokens) and Portico secrets. */
export const CREDENTIAL_SHAPES = [
  /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\./,
  /\b(sk|whsec)_[A-Za-z0-9_-]{20,}/,
];

/** Every request-log object the platform wrote, as text (gzip undone), with its key. */
export async function requestLogObjects(
  aws: ReturnType<typeof localClients>,
): Promise<{ key: string; text: string }[]> {
  const { Buckets = [] } = await aws.s3.send(new ListBucketsCommand({}));
  const bucket = Buckets.find((b) => b.Name?.includes('request-logs'))?.Name;
  if (!bucket) return [];
  const objects: { key: string; text: string }[] = [];
  let token: string | undefined;
  do {
    const page = await aws.s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      const { Body } = await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
      let data = Buffer.from(await Body!.transformToByteArray());
      if (data[0] === 0x1f && data[1] === 0x8b) data = gunzipSync(data);
      objects.push({ key: object.Key!, text: data.toString('utf8') });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

/** The objects holding a credential shape, with the shape found: empty when the logs are clean. */
export async function credentialsInRequestLogs(aws: ReturnType<typeof localClients>): Promise<string[]> {
  const found: string[] = [];
  for (const { key, text } of await requestLogObjects(aws))
    for (const shape of CREDENTIAL_SHAPES) if (shape.test(text)) found.push(`${key}: ${shape}`);
  return found;
}
