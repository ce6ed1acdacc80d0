import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * How SDK clients are made: one module per service (`dynamo.ts`, `kms.ts`, …), so a function's bundle
 * holds only the SDK packages it uses; each client is created once per module and reused across invocations. Endpoints come from the
 * standard AWS_ENDPOINT_URL variable, so the same code talks to AWS, LocalStack or the local emulator.
 *
 * Every client has timeouts and a bounded number of attempts, so a hung dependency fails a call
 * instead of hanging it (see "When AWS is slow or down" in docs/architecture.md):
 * - request-path clients serve a caller who is waiting: two attempts of at most 700 ms each, so a
 *   request that truly needs AWS answers 503 within about 1.6 s rather than at the Lambda timeout;
 * - background clients (state sync, analytics, breaker events, scheduled and queue workers) may wait
 *   longer and retry more, since nobody is waiting on them.
 */
export interface ClientProfile {
  /** TCP (and TLS) connection set-up. */
  connectionTimeoutMs: number;
  /** One attempt, from sending the request to the response headers; also the socket idle limit. */
  requestTimeoutMs: number;
  /** Attempts in all, first one included (standard retry mode: jittered backoff, retry quota). */
  maxAttempts: number;
}

export const REQUEST_PATH_PROFILE: ClientProfile = {
  connectionTimeoutMs: 300,
  requestTimeoutMs: 700,
  maxAttempts: 2,
};

export const BACKGROUND_PROFILE: ClientProfile = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 3_000,
  maxAttempts: 3,
};

type Instrument = <T>(client: T) => T;
const uninstrumented: unknown[] = [];
let instrument: Instrument | undefined;

/**
 * Every SDK client is made through here, so that in a function that loads `shared/tracing.ts` each of
 * its calls becomes an X-Ray subsegment, and in one that does not the X-Ray SDK stays out of the bundle.
 */
export function traced<T>(client: T): T {
  if (instrument) return instrument(client);
  uninstrumented.push(client);
  return client;
}

/** Instruments the clients made so far and every one made after. */
export function instrumentSdkClients(with_: Instrument): void {
  instrument = with_;
  for (const client of uninstrumented.splice(0)) with_(client);
}

/** HTTP/1.1 for every client on purpose: the default HTTP/2 handler (Kinesis) is not understood by every emulator. */
export function clientConfig(profile: ClientProfile) {
  return {
    maxAttempts: profile.maxAttempts,
    retryMode: 'standard',
    requestHandler: new NodeHttpHandler({
      connectionTimeout: profile.connectionTimeoutMs,
      requestTimeout: profile.requestTimeoutMs,
      // Without it a breached requestTimeout is only logged and the call keeps waiting.
      throwOnRequestTimeout: true,
      socketTimeout: profile.requestTimeoutMs,
    }),
  } as const;
}
