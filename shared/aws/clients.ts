import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * SDK clients, created once per module and reused across invocations. Endpoints come from the
 * standard AWS_ENDPOINT_URL variable, so the same code talks to AWS, LocalStack or the local emulator.
 */
export const dynamoDocument = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

/** HTTP/1.1 on purpose: the default HTTP/2 handler is not understood by every emulator. */
export const kinesis = new KinesisClient({ requestHandler: new NodeHttpHandler() });

export const kms = new KMSClient({});

export const secretsManager = new SecretsManagerClient({});

export const eventBridge = new EventBridgeClient({});
