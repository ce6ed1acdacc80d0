import type { AthenaClient } from '@aws-sdk/client-athena';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Settings } from '../../config/settings.ts';
import type { LogSearch } from '../ports.ts';
import { AthenaLogSearch } from './athena-log-search.ts';
import { ObjectScanLogSearch } from './object-scan-log-search.ts';

/** The settings a request-log search is built from. */
export const LOG_SEARCH_SETTINGS = [
  'LOG_SEARCH_ENGINE',
  'REQUEST_LOG_BUCKET',
  'ATHENA_WORKGROUP',
  'REQUEST_LOG_DATABASE',
  'REQUEST_LOG_TABLE',
] as const;

/** The log search a deployment's settings name: Athena, or a read of the objects (the local platform). */
export function logSearchFor(
  config: Pick<Settings, (typeof LOG_SEARCH_SETTINGS)[number]>,
  clients: { athena: AthenaClient; s3: S3Client },
): LogSearch {
  return config.LOG_SEARCH_ENGINE === 'objects'
    ? new ObjectScanLogSearch(clients.s3, config.REQUEST_LOG_BUCKET)
    : new AthenaLogSearch(clients.athena, {
        workGroup: config.ATHENA_WORKGROUP,
        database: config.REQUEST_LOG_DATABASE,
        table: config.REQUEST_LOG_TABLE,
      });
}
