import { dynamoDocument } from '../../shared/aws/dynamo.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { DynamoApiRegistry } from '../../shared/gateway/adapters/dynamo-api-registry.ts';
import { findVisibleApi } from '../../shared/gateway/visible-api.ts';
import { httpHandler } from '../../shared/http/middleware.ts';
import { ProblemError } from '../../shared/http/problem.ts';
import { json } from '../../shared/http/types.ts';
import { createLogger } from '../../shared/observability.ts';
import { apiDocument } from '../../shared/portal/api-document.ts';
import { catalogOf } from '../../shared/portal/catalog.ts';
import { PORTAL_ROUTES, type PortalRouteKey } from './routes.ts';

const config = loadSettings(['REGISTRY_TABLE', 'TOKEN_ISSUER']);

const logger = createLogger('portal');
const registry = new DynamoApiRegistry(dynamoDocument, config.REGISTRY_TABLE);
const PUBLIC = { 'cache-control': 'public, max-age=60' };

/** The API catalog and each listed API's OpenAPI document: public, as a developer portal's docs are. */
export const handler = httpHandler(logger, async (event) => {
  switch (PORTAL_ROUTES[event.routeKey as PortalRouteKey]) {
    case 'catalog':
      return json(200, { items: catalogOf(await registry.list()) }, PUBLIC);
    case 'api-document': {
      const name = event.pathParameters?.apiName ?? '';
      const api = await findVisibleApi((apiName) => registry.get(apiName), name);
      return json(200, apiDocument(api, { baseUrl: config.TOKEN_ISSUER }), PUBLIC);
    }
    default:
      throw new ProblemError('not-found');
  }
});
