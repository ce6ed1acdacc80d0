import { UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { CreateSecretCommand, DeleteSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll } from 'vitest';
import { aws, uniqueName } from '../support/platform.ts';
import { createTable, deleteTable } from '../support/tables.ts';

/**
 * A fresh table in the emulator for every fixture a contract asks for (so no case sees another's data),
 * shaped like the platform's tables (`pk`/`sk`, TTL on `expiresAt`: the emulator never expires items, so
 * the contracts prove that readers check expiry themselves). All are deleted after the suite.
 */
export function freshTables(prefix: string): () => Promise<string> {
  const created: string[] = [];
  afterAll(async () => {
    for (const name of created) await deleteTable(name);
  });
  return async () => {
    const name = uniqueName(`contract-${prefix}`);
    await createTable(name);
    created.push(name);
    await aws().dynamo.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    );
    return name;
  };
}

/** A fresh Secrets Manager secret per fixture, holding `initial` (as the DataStack creates it). */
export function freshSecrets(prefix: string, initial: string): () => Promise<string> {
  const created: string[] = [];
  afterAll(async () => {
    for (const id of created)
      await aws()
        .secrets.send(new DeleteSecretCommand({ SecretId: id, ForceDeleteWithoutRecovery: true }))
        .catch(() => {});
  });
  return async () => {
    const { ARN } = await aws().secrets.send(
      new CreateSecretCommand({ Name: uniqueName(`contract-${prefix}`), SecretString: initial }),
    );
    created.push(ARN!);
    return ARN!;
  };
}

/** One symmetric KMS key for the suite (as the platform key: SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT). */
export function suiteKey(): () => Promise<string> {
  let key: Promise<string> | undefined;
  return () => {
    key ??= aws()
      .kms.send(new CreateKeyCommand({ Description: 'Portico contract suite', KeyUsage: 'ENCRYPT_DECRYPT' }))
      .then((created) => created.KeyMetadata!.KeyId!);
    return key;
  };
}
