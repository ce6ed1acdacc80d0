import { randomUUID } from 'node:crypto';
import {
  DynamoErrorReportStore,
  DynamoProviderKeyStore,
} from '../../shared/analytics/adapters/dynamo-trace-stores.ts';
import { LOG_SEARCH_SETTINGS, logSearchFor } from '../../shared/analytics/adapters/log-search.ts';
import { callTree, checkTraceId, errorReportOf } from '../../shared/analytics/call-chain.ts';
import { logQueryOf, MAX_LOG_RESULTS } from '../../shared/analytics/log-query.ts';
import { dynamoDocument } from '../../shared/aws/dynamo.ts';
import { athena, s3 } from '../../shared/aws/log-search-clients.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { requireRole } from '../../shared/console/roles.ts';
import { randomHex } from '../../shared/crypto/random.ts';
import { DynamoApiRegistry } from '../../shared/gateway/adapters/dynamo-api-registry.ts';
import { readJsonObject } from '../../shared/http/body.ts';
import { httpHandler } from '../../shared/http/middleware.ts';
import { ProblemError } from '../../shared/http/problem.ts';
import { queryParams } from '../../shared/http/query.ts';
import { type HttpEvent, header, json, noContent } from '../../shared/http/types.ts';
import { tableBackedValidator } from '../../shared/identity/adapters/table-backed-validator.ts';
import {
  clientSecretMatches,
  clientSecretVerifier,
  generateClientSecret,
} from '../../shared/identity/client-secret.ts';
import { scopesOf } from '../../shared/identity/tokens.ts';
import { createLogger } from '../../shared/observability.ts';
import { PROVIDER_REPORT_ROUTE, TRACE_CONSOLE_ROUTES, type TraceRouteKey } from './routes.ts';

const config = loadSettings([
  'IDENTITY_TABLE',
  'TOKEN_ISSUER',
  'REGISTRY_TABLE',
  'ANALYTICS_TABLE',
  'REQUEST_LOG_RETENTION_DAYS',
  ...LOG_SEARCH_SETTINGS,
]);
const logger = createLogger('analytics-traces');
const validator = tableBackedValidator(dynamoDocument, config.IDENTITY_TABLE, config.TOKEN_ISSUER);
const logs = logSearchFor(config, { athena, s3 });
const reports = new DynamoErrorReportStore(dynamoDocument, config.ANALYTICS_TABLE);
const providerKeys = new DynamoProviderKeyStore(dynamoDocument, config.REGISTRY_TABLE);
const registry = new DynamoApiRegistry(dynamoDocument, config.REGISTRY_TABLE);

const BASIC_CHALLENGE = 'Basic realm="portico-provider"';
const unauthorized = () =>
  new ProblemError(
    'unauthorized',
    'Send the API’s provider key as HTTP Basic credentials.',
    {},
    {},
    { challenge: BASIC_CHALLENGE },
  );

/** The provider key an error report is sent with (`Authorization: Basic <keyId:secret>`), checked. */
async function providerOf(event: HttpEvent) {
  const match = /^Basic ([A-Za-z0-9+/=]{1,400})$/.exec(header(event, 'authorization') ?? '');
  if (!match) throw unauthorized();
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const [keyId, secret] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  if (colon < 1 || !/^pk_[0-9a-f]{24}$/.test(keyId)) throw unauthorized();
  const key = await providerKeys.get(keyId);
  if (!key || !clientSecretMatches(secret, key.secretHash)) throw unauthorized();
  return key;
}

/**
 * Call chains: the console's tree of a trace (from the request logs, with providers' error reports),
 * providers' reports against their own APIs' calls, and the provider keys those are sent with.
 */
export const handler = httpHandler(logger, async (event: HttpEvent) => {
  const routeKey = event.routeKey as TraceRouteKey;
  const p = event.pathParameters ?? {};
  const now = Date.now();

  if (routeKey === PROVIDER_REPORT_ROUTE) {
    const key = await providerOf(event);
    const report = errorReportOf(readJsonObject(event), {
      traceId: p.traceId!,
      api: key.api,
      keyId: key.keyId,
      reportId: randomUUID(),
      now,
    });
    await reports.add(report, Math.floor(now / 1000) + config.REQUEST_LOG_RETENTION_DAYS * 86_400);
    return json(201, report);
  }

  const token = await validator.validate(header(event, 'authorization'));
  const role = requireRole(token.sandbox ? [] : scopesOf(token), TRACE_CONSOLE_ROUTES[routeKey]);
  switch (routeKey) {
    case 'GET /console/v1/traces/{traceId}': {
      const traceId = checkTraceId(p.traceId!);
      const query = logQueryOf(queryParams(event.rawQueryString, ['from', 'to']), now);
      const [found, reported] = await Promise.all([
        logs.search({ ...query, traceId, limit: MAX_LOG_RESULTS }),
        reports.forTrace(traceId),
      ]);
      if (found.records.length === 0)
        throw new ProblemError(
          'not-found',
          'No call of this trace was logged in the range (from, to: the last hour by default).',
        );
      return json(
        200,
        { ...callTree(traceId, found.records, reported), ...(found.incomplete ? { incomplete: true } : {}) },
        { 'cache-control': 'no-store' },
      );
    }
    case 'POST /console/v1/apis/{apiName}/provider-keys': {
      queryParams(event.rawQueryString, []);
      const api = await registry.get(p.apiName!);
      if (!api) throw new ProblemError('not-found', `No API is registered as "${p.apiName!.slice(0, 64)}".`);
      const keyId = `pk_${randomHex(12)}`;
      const secret = generateClientSecret();
      const key = {
        keyId,
        api: api.name,
        secretHash: clientSecretVerifier(secret),
        createdAt: new Date(now).toISOString(),
        createdBy: token.sub,
      };
      await providerKeys.create(key);
      logger.info('provider key created', { api: api.name, keyId, by: token.sub, role });
      const { secretHash: _hash, ...view } = key;
      return json(201, { ...view, secret }, { 'cache-control': 'no-store' });
    }
    case 'DELETE /console/v1/apis/{apiName}/provider-keys/{keyId}': {
      queryParams(event.rawQueryString, []);
      if (!(await providerKeys.delete(p.apiName!, p.keyId!)))
        throw new ProblemError('not-found', 'This API has no provider key with this id.');
      logger.info('provider key deleted', { api: p.apiName, keyId: p.keyId, by: token.sub, role });
      return noContent();
    }
    default:
      throw new ProblemError('not-found');
  }
});
