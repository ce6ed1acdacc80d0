import { DynamoAggregateStore } from '../../shared/analytics/adapters/dynamo-aggregate-store.ts';
import { RANKING_PARAMS, ranking, rankingDimension, rankingQueryOf } from '../../shared/analytics/ranking.ts';
import {
  CALL_FILTERS,
  DELIVERY_FILTERS,
  dimensionOf,
  RANGE_PARAMS,
  type UsageFilters,
  type UsageKind,
  usageRange,
  usageReport,
} from '../../shared/analytics/usage-report.ts';
import { backgroundDynamoDocument, dynamoDocument } from '../../shared/aws/dynamo.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { requireRole } from '../../shared/console/roles.ts';
import { httpHandler } from '../../shared/http/middleware.ts';
import { ProblemError } from '../../shared/http/problem.ts';
import { queryParams } from '../../shared/http/query.ts';
import { type HttpEvent, header, json } from '../../shared/http/types.ts';
import { tableBackedValidator } from '../../shared/identity/adapters/table-backed-validator.ts';
import { scopesOf } from '../../shared/identity/tokens.ts';
import { DynamoSubscriptionStore } from '../../shared/messages/adapters/dynamo-subscription-store.ts';
import { createLogger } from '../../shared/observability.ts';
import { ANALYTICS_CONSOLE_ROUTES, type AnalyticsRouteKey } from './routes.ts';

const config = loadSettings(['IDENTITY_TABLE', 'TOKEN_ISSUER', 'ANALYTICS_TABLE', 'MESSAGES_TABLE']);
const logger = createLogger('analytics-api');
const validator = tableBackedValidator(dynamoDocument, config.IDENTITY_TABLE, config.TOKEN_ISSUER);
// A report may read many periods: the background profile's longer attempts, as a person waits on it.
const aggregates = new DynamoAggregateStore(backgroundDynamoDocument, config.ANALYTICS_TABLE);
const subscriptions = new DynamoSubscriptionStore(dynamoDocument, config.MESSAGES_TABLE);

/** What an app may filter its own usage by; its own app id is always the filter's `app`. */
const APP_FILTERS: Record<UsageKind, readonly string[]> = { calls: ['api'], deliveries: ['subscription'] };
const CONSOLE_FILTERS: Record<UsageKind, readonly string[]> = {
  calls: CALL_FILTERS,
  deliveries: DELIVERY_FILTERS,
};

/**
 * Usage reports from the aggregates: the console sees every dimension, an app only its own calls and
 * its own subscriptions' deliveries.
 */
export const handler = httpHandler(logger, async (event: HttpEvent) => {
  const routeKey = event.routeKey as AnalyticsRouteKey;
  const kind: UsageKind = routeKey.endsWith('/deliveries') ? 'deliveries' : 'calls';
  const token = await validator.validate(header(event, 'authorization'));
  if (routeKey === 'GET /console/v1/analytics/top') {
    requireRole(token.sandbox ? [] : scopesOf(token), ANALYTICS_CONSOLE_ROUTES[routeKey]);
    const params = queryParams(event.rawQueryString, [...RANKING_PARAMS, ...RANGE_PARAMS]);
    const query = rankingQueryOf(params);
    const range = usageRange(
      { from: params.get('from'), to: params.get('to'), grain: params.get('grain') },
      Date.now(),
    );
    const cells = await aggregates.read(rankingDimension(query.of), range.grain, range.from, range.to);
    return json(200, ranking(query, range, cells), { 'cache-control': 'no-store' });
  }
  const forConsole = routeKey in ANALYTICS_CONSOLE_ROUTES;
  if (forConsole) {
    requireRole(
      token.sandbox ? [] : scopesOf(token),
      ANALYTICS_CONSOLE_ROUTES[routeKey as keyof typeof ANALYTICS_CONSOLE_ROUTES],
    );
  } else if (token.sandbox) {
    throw new ProblemError(
      'forbidden',
      'Sandbox credentials have no usage of their own; use a production credential.',
    );
  }
  const accepted = forConsole ? CONSOLE_FILTERS[kind] : APP_FILTERS[kind];
  const query = queryParams(event.rawQueryString, [...accepted, ...RANGE_PARAMS]);
  const filters: UsageFilters = Object.fromEntries(
    accepted.filter((f) => query.has(f)).map((f) => [f, query.get(f)!]),
  );
  if (!forConsole) {
    if (filters.subscription) {
      const subscription = await subscriptions.get(filters.subscription);
      if (subscription?.appId !== token.app_id)
        throw new ProblemError('not-found', 'No subscription of this app has this id.');
      // A subscription's deliveries are its app's: the subscription dimension answers.
    } else {
      filters.app = token.app_id;
    }
  }
  const range = usageRange(
    { from: query.get('from'), to: query.get('to'), grain: query.get('grain') },
    Date.now(),
  );
  const cells = await aggregates.read(dimensionOf(kind, filters), range.grain, range.from, range.to);
  return json(200, usageReport(kind, filters, range, cells), { 'cache-control': 'no-store' });
});
