import { dynamoDocument } from '../../shared/aws/dynamo.ts';
import { kms } from '../../shared/aws/kms.ts';
import { secretsManager } from '../../shared/aws/secrets-manager.ts';
import { TtlCache } from '../../shared/cache.ts';
import { TOKEN_AUDIENCE } from '../../shared/config/names.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { DynamoConsoleStore } from '../../shared/console/adapters/dynamo-console-store.ts';
import { ConsoleActions } from '../../shared/console/console-actions.ts';
import { NotFoundError } from '../../shared/console/ports.ts';
import { DynamoApiRegistry } from '../../shared/gateway/adapters/dynamo-api-registry.ts';
import { readJsonObject } from '../../shared/http/body.ts';
import { httpHandler } from '../../shared/http/middleware.ts';
import { ProblemError } from '../../shared/http/problem.ts';
import { PAGE_PARAMS, pageParams, queryParams } from '../../shared/http/query.ts';
import { type HttpEvent, header, json, noContent } from '../../shared/http/types.ts';
import { activeApp } from '../../shared/identity/active-app.ts';
import { DynamoAppStore } from '../../shared/identity/adapters/dynamo-app-store.ts';
import { DynamoAuthFailureLimiter } from '../../shared/identity/adapters/dynamo-auth-failure-limiter.ts';
import { DynamoRefreshTokenStore } from '../../shared/identity/adapters/dynamo-refresh-token-store.ts';
import { DynamoTokenStore } from '../../shared/identity/adapters/dynamo-token-store.ts';
import { DynamoUserDirectory } from '../../shared/identity/adapters/dynamo-user-directory.ts';
import { KmsSecretCipher } from '../../shared/identity/adapters/kms-secret-cipher.ts';
import { SecretsManagerSigningKeyStore } from '../../shared/identity/adapters/signing-key-stores.ts';
import { tableBackedValidator } from '../../shared/identity/adapters/table-backed-validator.ts';
import { issueTokens } from '../../shared/identity/issue-tokens.ts';
import type { App } from '../../shared/identity/model.ts';
import { AlreadyExistsError } from '../../shared/identity/ports.ts';
import { scopesOf } from '../../shared/identity/tokens.ts';
import { hashPassword } from '../../shared/identity/users.ts';
import { DomainError } from '../../shared/kernel/errors.ts';
import { isPlatformScope } from '../../shared/kernel/scopes.ts';
import { createLogger } from '../../shared/observability.ts';
import { AccessRequestActions } from '../../shared/portal/access-request-actions.ts';
import { DynamoAccessRequestStore } from '../../shared/portal/adapters/dynamo-access-request-store.ts';
import { DeveloperApps } from '../../shared/portal/developer-apps.ts';
import {
  activeCredential,
  appSummary,
  developerIdOf,
  meOf,
  ownApp,
  type PortalSession,
  portalSession,
} from '../../shared/portal/developer-session.ts';
import { signUp } from '../../shared/portal/sign-up.ts';
import { DEVELOPER_ROUTES, type DeveloperRouteKey, SIGN_UP_ROUTE } from './routes.ts';

const config = loadSettings([
  'IDENTITY_TABLE',
  'SIGNING_KEYS_SECRET',
  'TOKEN_ISSUER',
  'SECRETS_KEY_ID',
  'SIGN_UP_APPROVAL',
  'REGISTRY_TABLE',
]);
const query = (event: HttpEvent) =>
  queryParams(event.rawQueryString, event.routeKey === 'GET /v1/me/access-requests' ? PAGE_PARAMS : []);
const logger = createLogger('portal-developer');
const table = config.IDENTITY_TABLE;
const validator = tableBackedValidator(dynamoDocument, table, config.TOKEN_ISSUER);
const users = new DynamoUserDirectory(dynamoDocument, table);
const apps = new DynamoAppStore(dynamoDocument, table);
const store = new DynamoConsoleStore(dynamoDocument, table);
const developerApps = new DeveloperApps({
  actions: new ConsoleActions({
    store,
    apps,
    tokens: new DynamoTokenStore(dynamoDocument, table),
    cipher: new KmsSecretCipher(kms, config.SECRETS_KEY_ID),
  }),
  store,
  apps,
});
const accessRequests = new AccessRequestActions({
  requests: new DynamoAccessRequestStore(dynamoDocument, table),
  apps,
  registry: new DynamoApiRegistry(dynamoDocument, config.REGISTRY_TABLE),
});
// Sign-ups per source address (5 a minute) and in all (1,000 a minute), on their own counters.
const signUps = new DynamoAuthFailureLimiter(dynamoDocument, table, {
  perClientPerMinute: 5,
  perIpPerMinute: 1000,
});
const signingKeys = new TtlCache(
  () => new SecretsManagerSigningKeyStore(secretsManager, config.SIGNING_KEYS_SECRET).load(),
  300_000,
);
const issuing = {
  signingKeys: () => signingKeys.get(),
  tokens: new DynamoTokenStore(dynamoDocument, table),
  refreshTokens: new DynamoRefreshTokenStore(dynamoDocument, table),
  settings: {
    issuer: config.TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
    accessTokenTtlSeconds: 3600,
    refreshTokenTtlSeconds: 0,
  },
};

/** The portal's app tokens live long enough for a page, not for an integration. */
const APP_TOKEN_TTL_SECONDS = 900;
const MAX_APPS_LISTED = 100;
const PRIVATE = { 'cache-control': 'no-store' };

/**
 * A short-lived token of the developer's own app, as a client_credentials grant would give it: sandbox
 * for try-it, production for the portal's pages about the app (subscriptions, deliveries, usage).
 */
async function appToken(session: PortalSession, appId: string, environment: 'sandbox' | 'production') {
  // The app as it may authenticate (its developer account active too), and only the session's own.
  const app = ownApp(session, await apps.getApp(appId));
  if (!(await activeApp(apps, app.appId)))
    throw new ProblemError('forbidden', 'The app or its developer account is not active.');
  const credential = activeCredential(app, await store.listCredentials(app.appId), environment);
  const issued = await issueTokens(
    issuing,
    {
      app,
      clientId: credential.clientId,
      subject: app.appId,
      ...(app.innerId ? { innerId: app.innerId } : {}),
      // A person's session never hands out a platform scope, whatever the app holds.
      scope: app.scopes.filter((s) => !isPlatformScope(s)).join(' '),
      grant: 'client_credentials',
      ...(environment === 'sandbox' ? { sandbox: true } : {}),
      requestedTtlSeconds: APP_TOKEN_TTL_SECONDS,
    },
    new Date(),
  );
  logger.info('app token issued to its developer', {
    appId: app.appId,
    environment,
    by: session.user.userId,
  });
  return issued;
}

/** A filtered index query: a page may come back short or empty with more to follow. */
async function appsOf(developerId: string): Promise<App[]> {
  const found: App[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listApps(MAX_APPS_LISTED, cursor, developerId);
    found.push(...page.items);
    cursor = page.next;
  } while (cursor && found.length < MAX_APPS_LISTED);
  return found.slice(0, MAX_APPS_LISTED);
}

/** The signed-in person's own routes (and sign-up): who they are, their apps, try-it tokens for them. */
export const handler = httpHandler(logger, (event: HttpEvent) =>
  (event.routeKey === SIGN_UP_ROUTE ? signUpRoute(event) : sessionRoute(event)).catch(storeConflicts),
);

function storeConflicts(error: unknown): never {
  if (error instanceof NotFoundError) throw new ProblemError('not-found', 'It no longer exists.');
  if (error instanceof AlreadyExistsError) throw new ProblemError('conflict', 'That username is taken.');
  throw error;
}

async function signUpRoute(event: HttpEvent) {
  const now = new Date();
  const source = `signup:${event.requestContext.http.sourceIp}`;
  const wait = await signUps.blockedFor(source, 'signup', now);
  if (wait !== undefined) {
    throw new DomainError(
      'rate-limited',
      'Too many sign-ups from this address; try again later.',
      {},
      {
        retryAfterSeconds: wait,
      },
    );
  }
  await signUps.recordFailure(source, 'signup', now);
  const { developer, user } = await signUp(
    { store, hashPassword, approval: config.SIGN_UP_APPROVAL },
    readJsonObject(event),
    event.requestContext.requestId,
    now,
  );
  logger.info('developer signed up', { developerId: developer.developerId, status: developer.status });
  return json(
    201,
    { username: user.username, developerId: developer.developerId, status: developer.status },
    PRIVATE,
  );
}

async function sessionRoute(event: HttpEvent) {
  const route = DEVELOPER_ROUTES[event.routeKey as DeveloperRouteKey];
  if (!route) throw new ProblemError('not-found');
  const token = await validator.validate(header(event, 'authorization'));
  const session = portalSession(
    { scopes: scopesOf(token), ...(token.sandbox ? { sandbox: true } : {}) },
    await users.get(token.sub ?? ''),
  );
  const p = event.pathParameters ?? {};
  const requestId = event.requestContext.requestId;

  switch (route) {
    case 'me': {
      const { developerId } = session.user;
      return json(
        200,
        meOf(session, developerId ? await store.getDeveloper(developerId) : undefined),
        PRIVATE,
      );
    }
    case 'my-apps':
      return json(200, { items: (await appsOf(developerIdOf(session))).map(appSummary) }, PRIVATE);
    case 'create-app': {
      const created = await developerApps.create(session, readJsonObject(event), requestId, new Date());
      logger.info('app created in the portal', { appId: created.appId, by: session.user.userId });
      return json(201, created, { location: `/v1/me/apps/${created.appId}`, ...PRIVATE });
    }
    case 'app':
      return json(200, await developerApps.get(session, p.appId!), PRIVATE);
    case 'add-credential': {
      const added = await developerApps.addCredential(
        session,
        p.appId!,
        event.body ? readJsonObject(event) : {},
        requestId,
        new Date(),
      );
      return json(201, added, PRIVATE);
    }
    case 'rotate-secret':
      return json(
        200,
        await developerApps.rotateSecret(session, p.appId!, p.clientId!, requestId, new Date()),
        PRIVATE,
      );
    case 'revoke-credential':
      await developerApps.revokeCredential(session, p.appId!, p.clientId!, requestId, new Date());
      return noContent();
    case 'apply': {
      const request = await accessRequests.apply(
        session,
        p.appId!,
        readJsonObject(event),
        requestId,
        new Date(),
      );
      return json(201, request, PRIVATE);
    }
    case 'my-access-requests':
      return json(200, await accessRequests.mine(session, pageParams(query(event))), PRIVATE);
    case 'sandbox-token':
      return json(200, await appToken(session, p.appId ?? '', 'sandbox'), PRIVATE);
    case 'app-token':
      return json(200, await appToken(session, p.appId ?? '', 'production'), PRIVATE);
  }
}
