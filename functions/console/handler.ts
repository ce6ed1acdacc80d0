import { dynamoDocument } from '../../shared/aws/dynamo.ts';
import { kms } from '../../shared/aws/kms.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { DynamoConsoleStore } from '../../shared/console/adapters/dynamo-console-store.ts';
import { ApiRegistryActions } from '../../shared/console/api-registry-actions.ts';
import { ConsoleActions } from '../../shared/console/console-actions.ts';
import {
  OPENAPI_IMPORT_PARAMS,
  OPENAPI_MEDIA_TYPES,
  OpenApiImportActions,
} from '../../shared/console/openapi-import-actions.ts';
import { NotFoundError } from '../../shared/console/ports.ts';
import { requireRole } from '../../shared/console/roles.ts';
import { TopicActions } from '../../shared/console/topic-actions.ts';
import { dnsResolver } from '../../shared/egress/adapters/dns-resolver.ts';
import { EgressGuard } from '../../shared/egress/guard.ts';
import { parseEgressAllowList } from '../../shared/egress/policy.ts';
import { DynamoApiRegistry } from '../../shared/gateway/adapters/dynamo-api-registry.ts';
import { TargetAllowList } from '../../shared/gateway/upstream-targets.ts';
import { readJsonObject, readTextAs } from '../../shared/http/body.ts';
import { httpHandler } from '../../shared/http/middleware.ts';
import { ProblemError } from '../../shared/http/problem.ts';
import { PAGE_PARAMS, pageParams, queryParams } from '../../shared/http/query.ts';
import { type HttpEvent, header, json, noContent } from '../../shared/http/types.ts';
import { DynamoAppStore } from '../../shared/identity/adapters/dynamo-app-store.ts';
import { DynamoTokenStore } from '../../shared/identity/adapters/dynamo-token-store.ts';
import { KmsSecretCipher } from '../../shared/identity/adapters/kms-secret-cipher.ts';
import { tableBackedValidator } from '../../shared/identity/adapters/table-backed-validator.ts';
import { AlreadyExistsError } from '../../shared/identity/ports.ts';
import { scopesOf } from '../../shared/identity/tokens.ts';
import { DynamoSubscriptionStore } from '../../shared/messages/adapters/dynamo-subscription-store.ts';
import { DynamoTopicStore } from '../../shared/messages/adapters/dynamo-topic-store.ts';
import { createLogger } from '../../shared/observability.ts';
import { AccessRequestActions } from '../../shared/portal/access-request-actions.ts';
import { DynamoAccessRequestStore } from '../../shared/portal/adapters/dynamo-access-request-store.ts';
import { CONSOLE_ROUTES, type ConsoleRouteKey } from './routes.ts';

const config = loadSettings([
  'IDENTITY_TABLE',
  'REGISTRY_TABLE',
  'SECRETS_KEY_ID',
  'TOKEN_ISSUER',
  'EGRESS_ALLOW',
  'MESSAGES_TABLE',
  'UPSTREAM_TARGET_PREFIX',
]);
const logger = createLogger('console');
const table = config.IDENTITY_TABLE;
const validator = tableBackedValidator(dynamoDocument, table, config.TOKEN_ISSUER);
const actions = new ConsoleActions({
  store: new DynamoConsoleStore(dynamoDocument, table),
  apps: new DynamoAppStore(dynamoDocument, table),
  tokens: new DynamoTokenStore(dynamoDocument, table),
  cipher: new KmsSecretCipher(kms, config.SECRETS_KEY_ID),
});

const registry = new ApiRegistryActions({
  registry: new DynamoApiRegistry(dynamoDocument, config.REGISTRY_TABLE),
  apps: new DynamoAppStore(dynamoDocument, table),
  store: new DynamoConsoleStore(dynamoDocument, table),
  egress: new EgressGuard(parseEgressAllowList(config.EGRESS_ALLOW), dnsResolver()),
  targets: new TargetAllowList(config.UPSTREAM_TARGET_PREFIX),
});

const openApiImports = new OpenApiImportActions(registry);

const topics = new TopicActions({
  topics: new DynamoTopicStore(dynamoDocument, config.MESSAGES_TABLE),
  subscriptions: new DynamoSubscriptionStore(dynamoDocument, config.MESSAGES_TABLE),
  store: new DynamoConsoleStore(dynamoDocument, table),
});

const accessRequests = new AccessRequestActions({
  requests: new DynamoAccessRequestStore(dynamoDocument, table),
  apps: new DynamoAppStore(dynamoDocument, table),
  registry: new DynamoApiRegistry(dynamoDocument, config.REGISTRY_TABLE),
});
const ACCESS_REQUEST_STATUSES = ['pending', 'approved', 'rejected'] as const;

const NO_STORE = { 'cache-control': 'no-store' };

/** The query parameters each route takes; every other route takes none. */
const QUERY_PARAMS: Partial<Record<ConsoleRouteKey, readonly string[]>> = {
  'GET /console/v1/developers': PAGE_PARAMS,
  'GET /console/v1/apps': [...PAGE_PARAMS, 'developerId'],
  'GET /console/v1/audit': PAGE_PARAMS,
  'GET /console/v1/access-requests': [...PAGE_PARAMS, 'status'],
  'GET /console/v1/apps/{appId}/tokens': PAGE_PARAMS,
  'POST /console/v1/apis/{apiName}/openapi': OPENAPI_IMPORT_PARAMS,
};

/** `If-None-Match: *` creates only: the write expects no revision at all (revision 0). */
function ifMatchOrAbsent(event: HttpEvent): string | undefined {
  const ifNoneMatch = header(event, 'if-none-match');
  if (ifNoneMatch === undefined) return header(event, 'if-match');
  if (ifNoneMatch.trim() !== '*') throw new ProblemError('bad-request', 'If-None-Match takes only *.');
  return '"0"';
}

/** Store outcomes of a write racing another one (a PATCH against a DELETE, say) are the caller's 404 or 409. */
function storeConflicts(error: unknown): never {
  if (error instanceof NotFoundError) throw new ProblemError('not-found', 'It no longer exists.');
  if (error instanceof AlreadyExistsError)
    throw new ProblemError('conflict', 'It was created concurrently; retry.');
  throw error;
}

/** The admin API: every route checks the caller's role, every write is audited. */
export const handler = httpHandler(logger, (event) => route(event).catch(storeConflicts));

const route = async (event: HttpEvent) => {
  const routeKey = event.routeKey as ConsoleRouteKey;
  const needed = CONSOLE_ROUTES[routeKey];
  if (!needed) throw new ProblemError('not-found');
  const token = await validator.validate(header(event, 'authorization'));
  // Sandbox credentials never carry console scopes; a sandbox token that somehow did gets no role.
  const role = requireRole(token.sandbox ? [] : scopesOf(token), needed);
  const actor = { subject: token.sub, clientId: token.client_id, role };
  const ctx = { actor, requestId: event.requestContext.requestId, now: new Date() };
  const p = event.pathParameters ?? {};
  const query = queryParams(event.rawQueryString, QUERY_PARAMS[routeKey] ?? []);
  const page = () => pageParams(query);
  const body = () => readJsonObject(event);

  switch (routeKey) {
    case 'GET /console/v1/developers':
      return json(200, await actions.listDevelopers(page()));
    case 'POST /console/v1/developers': {
      const developer = await actions.createDeveloper(ctx, body());
      return json(201, developer, { location: `/console/v1/developers/${developer.developerId}` });
    }
    case 'GET /console/v1/developers/{developerId}':
      return json(200, await actions.getDeveloper(p.developerId!));
    case 'PATCH /console/v1/developers/{developerId}':
      return json(200, await actions.updateDeveloper(ctx, p.developerId!, body()));
    case 'DELETE /console/v1/developers/{developerId}':
      await actions.deleteDeveloper(ctx, p.developerId!);
      return noContent();
    case 'GET /console/v1/apps':
      return json(200, await actions.listApps(page(), query.get('developerId')));
    case 'POST /console/v1/apps': {
      const created = await actions.createApp(ctx, body());
      logger.info('app created', { appId: created.appId, by: actor.subject });
      return json(201, created, { location: `/console/v1/apps/${created.appId}`, ...NO_STORE });
    }
    case 'GET /console/v1/apps/{appId}':
      return json(200, await actions.getApp(p.appId!));
    case 'PATCH /console/v1/apps/{appId}':
      return json(200, await actions.updateApp(ctx, p.appId!, body()));
    case 'DELETE /console/v1/apps/{appId}':
      await actions.deleteApp(ctx, p.appId!);
      return noContent();
    case 'GET /console/v1/apps/{appId}/credentials':
      return json(200, { items: await actions.listCredentials(p.appId!) });
    case 'POST /console/v1/apps/{appId}/credentials':
      return json(201, await actions.addCredential(ctx, p.appId!, body()), NO_STORE);
    case 'POST /console/v1/apps/{appId}/credentials/{clientId}/rotate':
      return json(
        200,
        await actions.rotateSecret(ctx, p.appId!, p.clientId!, event.body ? body() : {}),
        NO_STORE,
      );
    case 'DELETE /console/v1/apps/{appId}/credentials/{clientId}':
      await actions.deleteCredential(ctx, p.appId!, p.clientId!);
      return noContent();
    case 'GET /console/v1/apps/{appId}/tokens':
      return json(200, await actions.listTokens(p.appId!, page()));
    case 'POST /console/v1/apps/{appId}/tokens/revoke':
      return json(200, await actions.revokeAllTokens(ctx, p.appId!));
    case 'DELETE /console/v1/apps/{appId}/tokens/{jti}':
      await actions.revokeToken(ctx, p.appId!, p.jti!);
      return noContent();
    case 'GET /console/v1/apis':
      return json(200, { items: await registry.list() });
    case 'GET /console/v1/apis/{apiName}': {
      const api = await registry.get(p.apiName!);
      return json(200, api, { etag: `"${api.revision}"` });
    }
    case 'PUT /console/v1/apis/{apiName}': {
      const { created, api } = await registry.put(ctx, p.apiName!, body(), ifMatchOrAbsent(event));
      return json(created ? 201 : 200, api, { etag: `"${api.revision}"` });
    }
    case 'POST /console/v1/apis/{apiName}/openapi': {
      const text = readTextAs(event, OPENAPI_MEDIA_TYPES);
      const outcome = await openApiImports.import(ctx, p.apiName!, {
        text,
        query,
        ifMatch: header(event, 'if-match'),
      });
      const headers: Record<string, string> =
        'revision' in outcome.api ? { etag: `"${outcome.api.revision}"` } : {};
      return json(outcome.created && !outcome.dryRun ? 201 : 200, outcome, headers);
    }
    case 'DELETE /console/v1/apis/{apiName}':
      await registry.delete(ctx, p.apiName!);
      return noContent();
    case 'GET /console/v1/topics':
      return json(200, { items: await topics.list() });
    case 'GET /console/v1/topics/{topic}': {
      const topic = await topics.get(p.topic!);
      return json(200, topic, { etag: `"${topic.revision}"` });
    }
    case 'PUT /console/v1/topics/{topic}': {
      const { created, topic } = await topics.put(ctx, p.topic!, body(), header(event, 'if-match'));
      return json(created ? 201 : 200, topic, { etag: `"${topic.revision}"` });
    }
    case 'DELETE /console/v1/topics/{topic}':
      await topics.delete(ctx, p.topic!);
      return noContent();
    case 'GET /console/v1/audit':
      return json(200, await actions.listAudit(page()));
    case 'GET /console/v1/access-requests': {
      const status = query.get('status') ?? 'pending';
      if (!(ACCESS_REQUEST_STATUSES as readonly string[]).includes(status))
        throw new ProblemError('bad-request', `status is one of ${ACCESS_REQUEST_STATUSES.join(', ')}.`);
      return json(200, await accessRequests.list(status as (typeof ACCESS_REQUEST_STATUSES)[number], page()));
    }
    case 'POST /console/v1/access-requests/{requestId}/approve':
      return json(200, await accessRequests.decide(ctx, p.requestId!, true, event.body ? body() : {}));
    case 'POST /console/v1/access-requests/{requestId}/reject':
      return json(200, await accessRequests.decide(ctx, p.requestId!, false, event.body ? body() : {}));
  }
};
