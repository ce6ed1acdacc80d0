import { FirehoseClient } from '@aws-sdk/client-firehose';
import { BACKGROUND_PROFILE, clientConfig, traced } from './clients.ts';

/** Request logs are written in batches off the request (gateway). */
export const firehose = traced(new FirehoseClient(clientConfig(BACKGROUND_PROFILE)));
