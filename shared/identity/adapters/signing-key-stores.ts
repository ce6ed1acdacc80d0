import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { JSONWebKeySet } from 'jose';
import type { PublicKeyStore, SigningKeyStore } from '../ports.ts';
import type { SigningKeySet } from '../signing-keys.ts';
import { JWKS_KEY } from './identity-keys.ts';

/** Private keys live in one Secrets Manager secret, encrypted under the platform KMS key. */
export class SecretsManagerSigningKeyStore implements SigningKeyStore {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
  ) {}

  async load(): Promise<SigningKeySet> {
    const { SecretString } = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    const parsed = JSON.parse(SecretString ?? '{}') as Partial<SigningKeySet>;
    return { keys: Array.isArray(parsed.keys) ? parsed.keys : [] };
  }

  async save(keys: SigningKeySet): Promise<void> {
    await this.client.send(
      new PutSecretValueCommand({ SecretId: this.secretId, SecretString: JSON.stringify(keys) }),
    );
  }
}

/**
 * A public JWKS as one item of the identity table: cheap to read, safe to cache everywhere. The
 * access tokens' keys by default; the identity tokens' at `IDENTITY_JWKS_KEY`.
 */
export class DynamoPublicKeyStore implements PublicKeyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly key: { pk: string; sk: string } = JWKS_KEY,
  ) {}

  async load(): Promise<JSONWebKeySet> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: this.key }));
    return { keys: Array.isArray(Item?.keys) ? Item.keys : [] };
  }

  async save(jwks: JSONWebKeySet): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...this.key, keys: jwks.keys, updatedAt: new Date().toISOString() },
      }),
    );
  }
}
