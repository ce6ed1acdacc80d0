import { SQSClient } from '@aws-sdk/client-sqs';
import { BACKGROUND_PROFILE, clientConfig, traced } from './clients.ts';

/** Message workers queue deliveries. */
export const sqs = traced(new SQSClient(clientConfig(BACKGROUND_PROFILE)));
