import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  BACKGROUND_PROFILE,
  type ClientProfile,
  clientConfig,
  REQUEST_PATH_PROFILE,
  traced,
} from './clients.ts';

const documentClient = (profile: ClientProfile) =>
  DynamoDBDocumentClient.from(traced(new DynamoDBClient(clientConfig(profile))), {
    marshallOptions: { removeUndefinedValues: true },
  });

/** DynamoDB for code a caller waits on: the gateway's reads and nonces, OAuth, console, discovery. */
export const dynamoDocument = documentClient(REQUEST_PATH_PROFILE);

/** DynamoDB for work nobody waits on: gateway state sync, health checks, key rotation, workers. */
export const backgroundDynamoDocument = documentClient(BACKGROUND_PROFILE);
