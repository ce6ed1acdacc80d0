import { clientConfig, REQUEST_PATH_PROFILE, traced } from './clients.ts';

/**
 * The client of the gateway's queue upstreams and its SDK, made by the first hand-off to one (a caller
 * waits for it: unlike `sqs.ts`, a request-path client). Imported then, as `lambda.ts` explains.
 */
export async function upstreamSqs() {
  const sdk = await import('@aws-sdk/client-sqs');
  return { sdk, client: traced(new sdk.SQSClient(clientConfig(REQUEST_PATH_PROFILE))) };
}
