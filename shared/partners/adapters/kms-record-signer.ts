import { createHmac, timingSafeEqual } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionally } from '../../aws/conditional-write.ts';
import { canonicalJson } from '../../crypto/canonical-json.ts';
import type { RecordSigner } from '../ports.ts';
import { signingKeyKey } from './partners-keys.ts';

const CONTEXT = { purpose: 'partner-record-signing' };
const VERSION = 'v1';

/**
 * HMAC-SHA256 over the record's canonical JSON, with a 256-bit key that exists only as KMS ciphertext
 * at rest (a data key of the platform key, stored in the partners table): each container decrypts it
 * once. Whoever can write the table but not use the key cannot forge a record.
 */
export class KmsRecordSigner implements RecordSigner {
  private key: Promise<Buffer> | undefined;

  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async sign(record: Readonly<Record<string, unknown>>): Promise<string> {
    return `${VERSION}.${await this.mac(record)}`;
  }

  async verify(record: Readonly<Record<string, unknown>>, signature: string): Promise<boolean> {
    if (typeof signature !== 'string' || !signature.startsWith(`${VERSION}.`)) return false;
    const given = Buffer.from(signature.slice(VERSION.length + 1), 'base64url');
    const expected = Buffer.from(await this.mac(record), 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private async mac(record: Readonly<Record<string, unknown>>): Promise<string> {
    return createHmac('sha256', await this.signingKey())
      .update(canonicalJson(record))
      .digest('base64url');
  }

  private signingKey(): Promise<Buffer> {
    this.key ??= this.loadOrCreate().catch((error) => {
      this.key = undefined;
      throw error;
    });
    return this.key;
  }

  private async loadOrCreate(): Promise<Buffer> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { Item } = await this.db.send(
        new GetCommand({ TableName: this.table, Key: signingKeyKey, ConsistentRead: true }),
      );
      if (Item) return this.decrypt(Item.ciphertext as string);
      const { CiphertextBlob, Plaintext } = await this.kms.send(
        new GenerateDataKeyCommand({ KeyId: this.keyId, KeySpec: 'AES_256', EncryptionContext: CONTEXT }),
      );
      const ciphertext = Buffer.from(CiphertextBlob!).toString('base64');
      // Two containers may race to create it: the first write wins and the other reads it back.
      const created = await conditionally(
        this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...signingKeyKey, kind: 'record-signing-key', ciphertext, createdAt: Date.now() },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      if (created) return Buffer.from(Plaintext!);
    }
    throw new Error('the record-signing key could not be read or created');
  }

  private async decrypt(ciphertext: string): Promise<Buffer> {
    const { Plaintext } = await this.kms.send(
      new DecryptCommand({
        KeyId: this.keyId,
        CiphertextBlob: Buffer.from(ciphertext, 'base64'),
        EncryptionContext: CONTEXT,
      }),
    );
    if (!Plaintext) throw new Error('KMS returned no plaintext');
    return Buffer.from(Plaintext);
  }
}
