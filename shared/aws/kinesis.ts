import { KinesisClient } from '@aws-sdk/client-kinesis';
import { BACKGROUND_PROFILE, clientConfig, traced } from './clients.ts';

/** Analytics records are sent in batches off the request. */
export const kinesis = traced(new KinesisClient(clientConfig(BACKGROUND_PROFILE)));
