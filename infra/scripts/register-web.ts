import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CONSOLE_ROLES, type ConsoleRole, roleScope } from '../../shared/console/roles.ts';
import { DynamoAppStore } from '../../shared/identity/adapters/dynamo-app-store.ts';
import { DynamoUserDirectory } from '../../shared/identity/adapters/dynamo-user-directory.ts';
import { webClient } from '../../shared/identity/web-client.ts';
import { TESTER_APP, TESTER_CLIENT_IDS } from '../../shared/testcases/tester-app.ts';

/**
 * After `cdk deploy`: registers the web app's sign-in client for the deployment's web URL and, with
 * --user, a person who signs in to it (a console role and/or a developer account). The password is
 * printed once and stored only as its scrypt hash.
 */
const { values } = parseArgs({
  options: {
    table: { type: 'string' },
    'web-url': { type: 'string' },
    user: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    developer: { type: 'string' },
  },
});
const role = values.role as ConsoleRole | undefined;
if (!values.table || (!values['web-url'] && !values.user) || (role && !CONSOLE_ROLES.includes(role))) {
  console.error(
    'usage: npm run web:register -- --table <PorticoData.IdentityTableName> [--web-url <PorticoApi.WebUrl>] ' +
      '[--user <username> --name "Full Name" [--role viewer|operator|admin] [--developer dev_…]]',
  );
  process.exit(2);
}
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
if (values['web-url']) {
  const { app, credential } = webClient(values['web-url'], new Date());
  await new DynamoAppStore(db, values.table).savePlatformClient(app, credential);
  console.log(`web client ${credential.clientId} redirects to ${app.redirectUris.join(', ')}`);
  // The test cases' tester app: tokens are minted for it per run, it has no secret.
  for (const environment of ['production', 'sandbox'] as const) {
    await new DynamoAppStore(db, values.table).savePlatformClient(TESTER_APP, {
      clientId: TESTER_CLIENT_IDS[environment],
      appId: TESTER_APP.appId,
      environment,
      secrets: [],
      status: 'active',
      createdAt: TESTER_APP.createdAt,
    });
  }
}
if (values.user) {
  const password = randomBytes(12).toString('base64url');
  await new DynamoUserDirectory(db, values.table).save(
    {
      userId: `user_${values.user.toLowerCase()}`,
      username: values.user,
      displayName: values.name ?? values.user,
      innerId: values.user,
      ...(role ? { scopes: [roleScope(role)] } : {}),
      ...(values.developer ? { developerId: values.developer } : {}),
    },
    password,
  );
  console.log(
    JSON.stringify({ username: values.user, password, role, developerId: values.developer }, null, 2),
  );
  console.error('Keep the password now: it cannot be shown again.');
}
