import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LOCAL_REGION } from './template.ts';

/** Clients the runtime itself uses (provisioning, pollers, seeding), bound to the emulator endpoint. */
export function localClients(endpoint: string) {
  const config = {
    endpoint,
    region: process.env.AWS_REGION ?? LOCAL_REGION,
    requestHandler: new NodeHttpHandler(),
    ...(process.env.AWS_ACCESS_KEY_ID
      ? {}
      : { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  };
  const dynamo = new DynamoDBClient(config);
  return {
    dynamo,
    document: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    sqs: new SQSClient(config),
    kinesis: new KinesisClient(config),
    events: new EventBridgeClient(config),
    kms: new KMSClient(config),
    secrets: new SecretsManagerClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    firehose: new FirehoseClient(config),
  };
}

export type LocalClients = ReturnType<typeof localClients>;
