import { LOG_SEARCH_SETTINGS, logSearchFor } from '../../shared/analytics/adapters/log-search.ts';
import { LOG_QUERY_PARAMS, logQueryOf } from '../../shared/analytics/log-query.ts';
import { dynamoDocument } from '../../shared/aws/dynamo.ts';
import { athena, s3 } from '../../shared/aws/log-search-clients.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { requireRole } from '../../shared/console/roles.ts';
import { httpHandler } from '../../shared/http/middleware.ts';
import { queryParams } from '../../shared/http/query.ts';
import { type HttpEvent, header, json } from '../../shared/http/types.ts';
import { tableBackedValidator } from '../../shared/identity/adapters/table-backed-validator.ts';
import { scopesOf } from '../../shared/identity/tokens.ts';
import { createLogger } from '../../shared/observability.ts';
import { LOG_ROUTES } from './routes.ts';

const config = loadSettings(['IDENTITY_TABLE', 'TOKEN_ISSUER', ...LOG_SEARCH_SETTINGS]);
const logger = createLogger('analytics-logs');
const validator = tableBackedValidator(dynamoDocument, config.IDENTITY_TABLE, config.TOKEN_ISSUER);
const logs = logSearchFor(config, { athena, s3 });

/** Request-log search for operators: full call context (secrets redacted when it was written). */
export const handler = httpHandler(logger, async (event: HttpEvent) => {
  const token = await validator.validate(header(event, 'authorization'));
  requireRole(token.sandbox ? [] : scopesOf(token), LOG_ROUTES['GET /console/v1/logs']);
  const query = logQueryOf(queryParams(event.rawQueryString, LOG_QUERY_PARAMS), Date.now());
  const result = await logs.search(query);
  return json(200, { ...result, query }, { 'cache-control': 'no-store' });
});
