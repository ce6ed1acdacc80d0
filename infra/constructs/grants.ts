import { Stack } from 'aws-cdk-lib';
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
