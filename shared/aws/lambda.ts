import { LambdaClient } from '@aws-sdk/client-lambda';
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

/** Upstream functions (the gateway's Lambda upstreams), created on the first call to one. */
export const lambda = traced(new LambdaClient(clientConfig(FUNCTION_UPSTREAM_PROFILE)));
