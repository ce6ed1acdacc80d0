import { Stack } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';

/**
 * Grants access to a KMS-encrypted secret on the grantee's own policy only. Secret.grantRead would
 * also edit the key policy in the data stack, which makes it depend on the compute stack: a cycle.
 */
export function grantSecret(
  grantee: IGrantable,
  secret: ISecret,
  key: IKey,
  access: 'read' | 'readWrite',
): void {
  const write = access === 'readWrite';
  const viaSecretsManager = {
    'kms:ViaService': `secretsmanager.${Stack.of(grantee as never).region}.amazonaws.com`,
  };
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: [
        'secretsmanager:GetSecretValue',
        'secretsmanager:DescribeSecret',
        ...(write ? ['secretsmanager:PutSecretValue'] : []),
      ],
      resources: [secret.secretArn],
    }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['kms:Decrypt', ...(write ? ['kms:Encrypt', 'kms:GenerateDataKey'] : [])],
      resources: [key.keyArn],
      conditions: { StringEquals: viaSecretsManager },
    }),
  );
}

/**
 * The item-level DynamoDB actions a function may be granted. A transaction needs the action of each
 * of its items (`Put` is PutItem, `ConditionCheck` is ConditionCheckItem); BatchGetItem and
 * BatchWriteItem are actions of their own. Scan is deliberately absent: it names no partition key,
 * so no key condition could narrow it.
 */
export type ItemAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'ConditionCheckItem';

/** Partition-key values a grant reaches: exact (`JWKS`) or IAM `StringLike` patterns (`APP#*`). */
export type LeadingKeys = readonly [string, ...string[]];

export interface ItemGrantOptions {
  /** Index name → the index partition-key values a Query of that index may name. */
  indexQueries?: Record<string, LeadingKeys>;
}

const isPattern = (key: string) => /[*?]/.test(key);

/**
 * Lets `grantee` run each action only on items whose partition key matches one of its leading keys
 * (`dynamodb:LeadingKeys`: the keys of the item, of every item of a batch, or the one a Query names),
 * and Query the named indexes (`table/<name>/index/<index>`, a resource of its own) only for the given
 * index partition keys. Actions with the same keys share one statement.
 */
export function grantItems(
  grantee: IGrantable,
  table: Table,
  items: Partial<Record<ItemAction, LeadingKeys>>,
  options: ItemGrantOptions = {},
): void {
  const byKeys = new Map<string, { keys: LeadingKeys; actions: ItemAction[] }>();
  for (const [action, keys] of Object.entries(items) as [ItemAction, LeadingKeys][]) {
    const sorted = [...new Set(keys)].sort() as unknown as LeadingKeys;
    const id = sorted.join('\n');
    const group = byKeys.get(id) ?? { keys: sorted, actions: [] };
    group.actions.push(action);
    byKeys.set(id, group);
  }
  for (const { keys, actions } of byKeys.values()) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: actions.map((a) => `dynamodb:${a}`),
        resources: [table.tableArn],
        conditions: leadingKeysCondition(keys),
      }),
    );
  }
  for (const [indexName, keys] of Object.entries(options.indexQueries ?? {})) {
    table.schemaV2(indexName); // throws for an index the table does not have
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${table.tableArn}/index/${indexName}`],
        conditions: leadingKeysCondition(keys),
      }),
    );
  }
}

/**
 * `ForAllValues`, as DynamoDB requires for this multivalued key: every partition key the request names
 * must match. A request that names none would pass, which is why no grant includes Scan. Exact keys
 * only: StringEquals; any pattern: StringLike (which matches exact keys too).
 */
function leadingKeysCondition(keys: LeadingKeys) {
  if (keys.length === 0 || keys.some((k) => k === '' || /^[*?]+$/.test(k)))
    throw new Error(`leading keys must name a prefix, not every item: ${JSON.stringify(keys)}`);
  const operator = keys.some(isPattern) ? 'ForAllValues:StringLike' : 'ForAllValues:StringEquals';
  return { [operator]: { 'dynamodb:LeadingKeys': [...keys] } };
}

/**
 * KMS Encrypt or Decrypt with the platform key, only for ciphertexts whose encryption context carries
 * these pairs (e.g. `purpose: client-secret`): the key also protects queues and the signing-keys secret.
 */
export function grantKeyUse(
  grantee: IGrantable,
  key: IKey,
  action: 'kms:Encrypt' | 'kms:Decrypt' | 'kms:GenerateDataKey',
  encryptionContext: Record<string, string>,
): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: [action],
      resources: [key.keyArn],
      conditions: {
        StringEquals: Object.fromEntries(
          Object.entries(encryptionContext).map(([k, v]) => [`kms:EncryptionContext:${k}`, v]),
        ),
      },
    }),
  );
}

/**
 * What checking a Portico access token takes (table-backed-validator.ts): the public keys (`JWKS`), the
 * revocation list (`REVOKED`), and the usage count of a usage-limited token (`APP#`).
 */
export function grantTokenValidation(grantee: IGrantable, identityTable: Table): void {
  grantItems(grantee, identityTable, { GetItem: ['JWKS'], Query: ['REVOKED'], UpdateItem: ['APP#*'] });
}
