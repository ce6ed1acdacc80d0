import { KMSClient } from '@aws-sdk/client-kms';
import { clientConfig, REQUEST_PATH_PROFILE, traced } from './clients.ts';

/** KMS on the request path: the gateway decrypts signing secrets, the console encrypts new ones. */
export const kms = traced(new KMSClient(clientConfig(REQUEST_PATH_PROFILE)));
