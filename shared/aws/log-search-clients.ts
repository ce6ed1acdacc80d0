import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import { BACKGROUND_PROFILE, clientConfig, traced } from './clients.ts';

/** Request-log search: Athena queries in AWS, the log objects themselves in S3 (locally). */
export const athena = traced(new AthenaClient(clientConfig(BACKGROUND_PROFILE)));
export const s3 = traced(new S3Client({ ...clientConfig(BACKGROUND_PROFILE), forcePathStyle: true }));
