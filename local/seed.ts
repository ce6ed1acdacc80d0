import path from 'node:path';
import { REPO_ROOT } from '../infra/repo-root.ts';
import { DynamoConsoleStore } from '../shared/console/adapters/dynamo-console-store.ts';
import { ConsoleActions } from '../shared/console/console-actions.ts';
import { roleScope } from '../shared/console/roles.ts';
import { newId, randomToken } from '../shared/crypto/random.ts';
import { DynamoApiRegistry } from '../shared/gateway/adapters/dynamo-api-registry.ts';
import { validateApiDefinition } from '../shared/gateway/api-definition.ts';
import { DynamoAppStore } from '../shared/identity/adapters/dynamo-app-store.ts';
import { DynamoTokenStore } from '../shared/identity/adapters/dynamo-token-store.ts';
import { DynamoUserDirectory } from '../shared/identity/adapters/dynamo-user-directory.ts';
import { KmsSecretCipher } from '../shared/identity/adapters/kms-secret-cipher.ts';
import { clientSecretMatches } from '../shared/identity/client-secret.ts';
import { registerApp } from '../shared/identity/register-app.ts';
import { webClient } from '../shared/identity/web-client.ts';
import { publishScope } from '../shared/kernel/scopes.ts';
import { DynamoSubscriptionStore } from '../shared/messages/adapters/dynamo-subscription-store.ts';
import { DynamoTopicStore } from '../shared/messages/adapters/dynamo-topic-store.ts';
import { createMissingTopics, readTopicFiles } from '../shared/messages/adapters/topic-files.ts';
import { webhookSecretContext } from '../shared/messages/create-subscription.ts';
import type { Subscription } from '../shared/messages/ports.ts';
import { generateWebhookSecret } from '../shared/messages/webhook-signature.ts';
import { TESTER_APP, TESTER_CLIENT_IDS } from '../shared/testcases/tester-app.ts';
import type { LocalClients } from './aws.ts';

/** Who the audit log names for what the demo's set-up writes. */
const SET_UP_ACTOR = { subject: 'npm-start', clientId: 'local-seed', role: 'admin' };

export interface SeededClient {
  appId: string;
  clientId: string;
  clientSecret: string;
}

export interface SeedResult {
  admin: SeededClient;
  demo: SeededClient;
  /** An internal system allowed to publish to the demo topic (`publish:orders.created`). */
  publisher: SeededClient;
  /**
   * A person: approves apps in the authorization-code flow, and signs in to the web app as the demo
   * developer (the demo app's owner).
   */
  user: { username: string; password: string };
  /** A person who signs in to the web app's console as an admin. */
  operator: { username: string; password: string };
  /** The demo developer account, which owns the demo app. */
  developerId: string;
  /** The demo app's sandbox credential (try-it in the portal uses it). */
  demoSandbox: SeededClient;
  api: string;
  /** The demo app's webhook subscription to `topic`, delivered to the demo upstream. */
  webhook: { subscriptionId: string; topic: string; url: string; secret: string };
}

export const DEMO_TOPIC = 'orders.created';
/** What subscribing to the demo topic takes (events/topics/orders.created.json). */
export const DEMO_TOPIC_SCOPE = 'orders:read';

export const DEMO_REDIRECT_URI = 'http://127.0.0.1:8765/callback';

export const DEMO_API = 'echo';
export const DEMO_SCOPE = 'echo:read';
/** The sample internal API: a Lambda function of the CDK app (functions/samples/orders.ts) as upstream. */
export const SAMPLE_LAMBDA_API = 'sample-orders';

/**
 * The demo: an admin client (console scope), a demo app allowed to call `echo` and subscribed to the
 * demo topic, a publisher of that topic, and the `echo` API routed to the demo upstream. Clients from an earlier run are reused while they still exist, so a
 * persistent emulator does not fill up with demo apps.
 */
export async function seedDemo(
  aws: LocalClients,
  names: {
    identityTable: string;
    registryTable: string;
    messagesTable: string;
    keyId: string;
    /** The upstream target prefix: the sample function is named with it (infra/capabilities/sample-apis.ts). */
    upstreamTargetPrefix: string;
    /** Where the web app is served: its sign-in redirects there. */
    webOrigin: string;
  },
  upstreamUrl: string,
  previous?: Partial<SeedResult>,
): Promise<SeedResult> {
  const apps = new DynamoAppStore(aws.document, names.identityTable);
  const cipher = new KmsSecretCipher(aws.kms, names.keyId);
  const reuseOrCreate = async (
    earlier: SeededClient | undefined,
    input: Parameters<typeof registerApp>[1],
  ): Promise<SeededClient> => {
    if (earlier) {
      const stored = await apps.getCredential(earlier.clientId);
      if (stored?.secrets.some((v) => clientSecretMatches(earlier.clientSecret, v.verifier))) return earlier;
    }
    const { app, clientId, clientSecret } = await registerApp({ apps, cipher }, input, new Date());
    return { appId: app.appId, clientId, clientSecret };
  };
  const consoleActions = new ConsoleActions({
    store: new DynamoConsoleStore(aws.document, names.identityTable),
    apps,
    tokens: new DynamoTokenStore(aws.document, names.identityTable),
    cipher,
  });
  const setUp = { actor: SET_UP_ACTOR, requestId: 'seed', now: new Date() };
  const web = webClient(names.webOrigin, new Date());
  await apps.savePlatformClient(web.app, web.credential);
  for (const environment of ['production', 'sandbox'] as const) {
    await apps.savePlatformClient(TESTER_APP, {
      clientId: TESTER_CLIENT_IDS[environment],
      appId: TESTER_APP.appId,
      environment,
      secrets: [],
      status: 'active',
      createdAt: TESTER_APP.createdAt,
    });
  }
  const developerId =
    previous?.developerId && (await apps.developerStatus(previous.developerId))
      ? previous.developerId
      : (await consoleActions.createDeveloper(setUp, { name: 'Demo Developer', email: 'demo@example.com' }))
          .developerId;
  const admin = await reuseOrCreate(previous?.admin, {
    name: 'Portico admin (local)',
    scopes: [roleScope('admin')],
  });
  const demo = await reuseOrCreate(previous?.demo, {
    name: 'Demo app',
    description: 'Created by npm start',
    developerId,
    innerId: 'demo-user-1',
    scopes: [DEMO_SCOPE, DEMO_TOPIC_SCOPE],
    redirectUris: [DEMO_REDIRECT_URI],
  });
  const demoSandbox =
    previous?.demoSandbox && previous.demo?.appId === demo.appId
      ? previous.demoSandbox
      : {
          appId: demo.appId,
          ...(await consoleActions.addCredential(setUp, demo.appId, { environment: 'sandbox' })),
        };
  const publisher = await reuseOrCreate(previous?.publisher, {
    name: 'Demo publisher (local)',
    description: 'An internal system publishing the demo topic',
    scopes: [publishScope(DEMO_TOPIC)],
  });
  const users = new DynamoUserDirectory(aws.document, names.identityTable);
  const user = previous?.user ?? { username: 'demo', password: randomToken(12) };
  await users.save(
    {
      userId: 'user_demo',
      username: user.username,
      displayName: 'Demo Developer',
      innerId: 'demo-user-1',
      developerId,
    },
    user.password,
  );
  const operator = previous?.operator ?? { username: 'admin', password: randomToken(12) };
  await users.save(
    {
      userId: 'user_admin',
      username: operator.username,
      displayName: 'Portico Admin',
      innerId: 'ops-admin-1',
      scopes: [roleScope('admin')],
    },
    operator.password,
  );
  await new DynamoApiRegistry(aws.document, names.registryTable).put(
    validateApiDefinition({
      name: DEMO_API,
      description: 'Echoes every request back: the demo upstream started by npm start.',
      upstreams: [{ url: upstreamUrl }],
      timeoutMs: 5000,
      requiredScopes: [DEMO_SCOPE],
      // Sandbox credentials (try-it in the portal) get these answers: the echo API has no sandbox server.
      mock: {
        enabled: false,
        rules: [
          { method: 'GET', path: '/hello', status: 200, body: { message: 'Hello from the echo sandbox' } },
          { method: 'ANY', path: '/{path+}', status: 200, body: { sandbox: true, echoed: false } },
        ],
      },
    }),
  );
  await new DynamoApiRegistry(aws.document, names.registryTable).put(
    validateApiDefinition({
      name: SAMPLE_LAMBDA_API,
      description:
        'A sample internal API written as a Lambda function in the CDK app, reached as a Lambda upstream.',
      upstreams: [{ lambda: `${names.upstreamTargetPrefix}orders` }],
      timeoutMs: 5000,
    }),
  );
  await createMissingTopics(
    new DynamoTopicStore(aws.document, names.messagesTable),
    readTopicFiles(path.join(REPO_ROOT, 'events', 'topics')),
  );
  const webhook = await seedWebhook(
    aws,
    names,
    demo.appId,
    `${upstreamUrl}/webhooks/${DEMO_TOPIC}`,
    previous?.webhook,
  );
  return { admin, demo, demoSandbox, publisher, user, operator, developerId, api: DEMO_API, webhook };
}

/**
 * The demo app's subscription to the demo topic. The one of the previous run (its secret is kept in
 * local.json) is reused while it exists, and pointed at this run's demo upstream when that moved to
 * another port: a restart never leaves a second demo subscription on the topic, and its deliveries
 * still pending (retries included) go to the receiver that is listening now.
 */
async function seedWebhook(
  aws: LocalClients,
  names: { messagesTable: string; keyId: string },
  appId: string,
  url: string,
  earlier: SeedResult['webhook'] | undefined,
): Promise<SeedResult['webhook']> {
  const subscriptions = new DynamoSubscriptionStore(aws.document, names.messagesTable);
  for (let attempt = 0; earlier && attempt < 3; attempt++) {
    const existing = await subscriptions.get(earlier.subscriptionId);
    if (existing?.appId !== appId || existing.topic !== earlier.topic) break;
    if (existing.url === url) return earlier;
    // A versioned write of the whole subscription: lost only to a concurrent change, then read again.
    const moved = { ...existing, url, version: existing.version + 1 };
    if (await subscriptions.save(moved, existing.version)) return { ...earlier, url };
  }
  const secret = generateWebhookSecret();
  const subscription: Subscription = {
    subscriptionId: newId('sub'),
    appId,
    topic: DEMO_TOPIC,
    mode: 'webhook',
    url,
    state: 'active',
    // Seconds, not hours: a failing demo receiver shows the whole schedule within a minute.
    retrySchedule: [0, 2, 5, 10, 20],
    health: {},
    secrets: [],
    version: 1,
    createdAt: Date.now(),
  };
  const cipher = new KmsSecretCipher(aws.kms, names.keyId);
  subscription.secrets = [
    { ciphertext: await cipher.encrypt(secret, webhookSecretContext(subscription)), createdAt: Date.now() },
  ];
  await subscriptions.create(subscription);
  return { subscriptionId: subscription.subscriptionId, topic: DEMO_TOPIC, url, secret };
}
