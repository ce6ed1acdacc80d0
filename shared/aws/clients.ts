import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { tracer } from '../observability.ts';

/**
 * SDK clients, created once per module and reused across invocations. Endpoints come from the
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

/** HTTP/1.1 for every client on purpose: the default HTTP/2 handler (Kinesis) is not understood by every emulator. */
/** Every SDK call becomes an X-Ray subsegment where tracing is on (a no-op elsewhere). */
export const traced = <T>(client: T): T => tracer.captureAWSv3Client(client);

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

const documentClient = (profile: ClientProfile) =>
  DynamoDBDocumentClient.from(traced(new DynamoDBClient(clientConfig(profile))), {
    marshallOptions: { removeUndefinedValues: true },
  });

/** DynamoDB for code a caller waits on: the gateway's reads and nonces, OAuth, console, discovery. */
export const dynamoDocument = documentClient(REQUEST_PATH_PROFILE);

/** DynamoDB for work nobody waits on: gateway state sync, health checks, key rotation, workers. */
export const backgroundDynamoDocument = documentClient(BACKGROUND_PROFILE);

/** KMS on the request path: the gateway decrypts signing secrets, the console encrypts new ones. */
export const kms = traced(new KMSClient(clientConfig(REQUEST_PATH_PROFILE)));

/** Secrets Manager on the request path: the token endpoint loads its signing keys (cached). */
export const secretsManager = traced(new SecretsManagerClient(clientConfig(REQUEST_PATH_PROFILE)));

/** Secrets Manager for the scheduled key rotation. */
export const backgroundSecretsManager = traced(new SecretsManagerClient(clientConfig(BACKGROUND_PROFILE)));

/** Analytics records are sent in batches off the request. */
export const kinesis = traced(new KinesisClient(clientConfig(BACKGROUND_PROFILE)));

/** Message workers queue deliveries. */
export const sqs = traced(new SQSClient(clientConfig(BACKGROUND_PROFILE)));

/** Breaker transitions are published from a background queue. */
export const eventBridge = traced(new EventBridgeClient(clientConfig(BACKGROUND_PROFILE)));
