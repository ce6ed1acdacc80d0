import { LambdaClient } from '@aws-sdk/client-lambda';
import { BACKGROUND_PROFILE, clientConfig, traced } from './clients.ts';

/** Invokes the platform's own functions (not upstreams: see lambda.ts), e.g. the load generator. */
export const platformLambda = traced(new LambdaClient(clientConfig(BACKGROUND_PROFILE)));
