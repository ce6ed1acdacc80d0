import { type ClientProfile, clientConfig, traced } from './clients.ts';

/**
 * Lambda upstreams are invoked on the request path, but an invocation may take as long as the API's
 * timeout (at most 28 s), which the gateway enforces per call: one attempt (an invocation may have run
 * and must not be repeated), a short connection set-up, and a request limit just above the longest
 * API timeout.
 */
export const FUNCTION_UPSTREAM_PROFILE: ClientProfile = {
  connectionTimeoutMs: 300,
  requestTimeoutMs: 29_000,
  maxAttempts: 1,
};

/**
 * The client of upstream functions (the gateway's Lambda upstreams) and its SDK, made by the first call
 * to one: the SDK package is imported then, so that the gateway's bundle can leave it to the Lambda
 * runtime's own copy (`infra/constructs/bundling.ts`) and no cold start loads it.
 */
export async function upstreamLambda() {
  const sdk = await import('@aws-sdk/client-lambda');
  return { sdk, client: traced(new sdk.LambdaClient(clientConfig(FUNCTION_UPSTREAM_PROFILE))) };
}
