import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { roleScope } from '../../shared/console/roles.ts';
import { DynamoAppStore } from '../../shared/identity/adapters/dynamo-app-store.ts';
import { KmsSecretCipher } from '../../shared/identity/adapters/kms-secret-cipher.ts';
import { registerApp } from '../../shared/identity/register-app.ts';

/**
 * Registers an admin client (console scope) in a deployed Portico, with the caller's AWS credentials.
 * Table and key come from the PorticoData stack outputs. The secret is printed once and stored nowhere.
 */
const { values } = parseArgs({
  options: {
    table: { type: 'string' },
    key: { type: 'string' },
    name: { type: 'string', default: 'Portico admin' },
  },
});
if (!values.table || !values.key) {
  console.error(
    'usage: npm run admin:create -- --table <PorticoData.IdentityTableName> --key <PorticoData.PlatformKeyArn> [--name "Ops admin"]',
  );
  process.exit(2);
}
const apps = new DynamoAppStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), values.table);
const { app, clientId, clientSecret } = await registerApp(
  { apps, cipher: new KmsSecretCipher(new KMSClient({}), values.key) },
  { name: values.name!, scopes: [roleScope('admin')] },
  new Date(),
);
console.log(JSON.stringify({ appId: app.appId, clientId, clientSecret, scope: roleScope('admin') }, null, 2));
console.error('Keep the client secret now: it cannot be shown again.');
