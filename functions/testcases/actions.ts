import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDocument } from '../../shared/aws/dynamo.ts';
import { eventBridge } from '../../shared/aws/event-bridge.ts';
import { secretsManager } from '../../shared/aws/secrets-manager.ts';
import { TtlCache } from '../../shared/cache.ts';
import { TOKEN_AUDIENCE } from '../../shared/config/names.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import type { AuditEntry } from '../../shared/console/audit.ts';
import { DynamoApiRegistry } from '../../shared/gateway/adapters/dynamo-api-registry.ts';
import { DynamoRefreshTokenStore } from '../../shared/identity/adapters/dynamo-refresh-token-store.ts';
import { DynamoTokenStore } from '../../shared/identity/adapters/dynamo-token-store.ts';
import { auditKey } from '../../shared/identity/adapters/identity-keys.ts';
import { SecretsManagerSigningKeyStore } from '../../shared/identity/adapters/signing-key-stores.ts';
import { issueTokens } from '../../shared/identity/issue-tokens.ts';
import { isPlatformScope } from '../../shared/kernel/scopes.ts';
import { count, createMetrics } from '../../shared/observability.ts';
import { scopesOfApi } from '../../shared/portal/access-requests.ts';
import { DynamoTestCaseStore } from '../../shared/testcases/adapters/dynamo-test-case-store.ts';
import { fetchTransport } from '../../shared/testcases/adapters/fetch-transport.ts';
import type { RunDeps } from '../../shared/testcases/run-case.ts';
import { TestCaseActions } from '../../shared/testcases/test-case-actions.ts';
import { TESTER_APP, TESTER_CLIENT_IDS } from '../../shared/testcases/tester-app.ts';

/** The test cases' composition, shared by the console routes and the scheduled runner. */
const config = loadSettings([
  'IDENTITY_TABLE',
  'REGISTRY_TABLE',
  'SIGNING_KEYS_SECRET',
  'TOKEN_ISSUER',
  'EVENT_BUS_NAME',
]);
export const metrics = createMetrics('test-cases');
const registry = new DynamoApiRegistry(dynamoDocument, config.REGISTRY_TABLE);
const signingKeys = new TtlCache(
  () => new SecretsManagerSigningKeyStore(secretsManager, config.SIGNING_KEYS_SECRET).load(),
  300_000,
);
const issuing = {
  signingKeys: () => signingKeys.get(),
  tokens: new DynamoTokenStore(dynamoDocument, config.IDENTITY_TABLE),
  refreshTokens: new DynamoRefreshTokenStore(dynamoDocument, config.IDENTITY_TABLE),
  settings: {
    issuer: config.TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
    accessTokenTtlSeconds: 300,
    refreshTokenTtlSeconds: 0,
  },
};
/** Under API Gateway's 30 s, so a run now always answers with its result. */
const CASE_TIMEOUT_MS = 25_000;

export const store = new DynamoTestCaseStore(dynamoDocument, config.REGISTRY_TABLE);

/** The gateway, and a token of the tester app minted per run with the API's scopes. */
export const runner: RunDeps = {
  gatewayBaseUrl: config.TOKEN_ISSUER,
  transport: fetchTransport(CASE_TIMEOUT_MS),
  token: async (testCase) => {
    const api = await registry.get(testCase.apiName);
    const scope = (api ? scopesOfApi(api) : []).filter((s) => !isPlatformScope(s)).join(' ');
    const sandbox = testCase.environment === 'sandbox';
    const issued = await issueTokens(
      issuing,
      {
        app: TESTER_APP,
        clientId: TESTER_CLIENT_IDS[testCase.environment],
        subject: TESTER_APP.appId,
        scope,
        grant: 'client_credentials',
        ...(sandbox ? { sandbox: true } : {}),
        requestedTtlSeconds: 120,
      },
      new Date(),
    );
    return issued.access_token;
  },
};

export const audit = async (entry: AuditEntry): Promise<void> => {
  await dynamoDocument.send(
    new PutCommand({
      TableName: config.IDENTITY_TABLE,
      Item: { ...auditKey(entry.at, entry.id), kind: 'audit', ...entry },
    }),
  );
};

/** An event of the test cases on the platform's bus (source `portico.testcases`). */
export const publish = async (detailType: string, detail: unknown): Promise<void> => {
  await eventBridge.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: config.EVENT_BUS_NAME,
          Source: 'portico.testcases',
          DetailType: detailType,
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );
};

export const testCases = new TestCaseActions({
  store,
  registry,
  runner,
  audit,
  failed: async (run, testCase) => {
    count(metrics, 'TestCaseFailures');
    await publish('test-case.failed', {
      apiName: testCase.apiName,
      caseId: testCase.caseId,
      name: testCase.name,
      run,
    });
  },
});
