import { SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig, REQUEST_PATH_PROFILE, traced } from './clients.ts';

/** Queue upstreams of the gateway: a caller waits for the hand-off (unlike `sqs.ts`, a background client). */
export const upstreamSqs = traced(new SQSClient(clientConfig(REQUEST_PATH_PROFILE)));
