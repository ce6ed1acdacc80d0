import openapi from '../../openapi/portico.openapi.json' with { type: 'json' };
import { dynamoDocument } from '../../shared/aws/clients.ts';
import { TtlCache } from '../../shared/cache.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { httpHandler } from '../../shared/http/middleware.ts';
import { ProblemError } from '../../shared/http/problem.ts';
import { json } from '../../shared/http/types.ts';
import { IDENTITY_JWKS_KEY } from '../../shared/identity/adapters/identity-keys.ts';
import { DynamoPublicKeyStore } from '../../shared/identity/adapters/signing-key-stores.ts';
import { authorizationServerMetadata } from '../../shared/identity/metadata.ts';
import { createLogger } from '../../shared/observability.ts';
import { DISCOVERY_ROUTES, type DiscoveryRouteKey } from './routes.ts';

const config = loadSettings(['IDENTITY_TABLE', 'TOKEN_ISSUER']);

const logger = createLogger('discovery');
const jwks = new TtlCache(
  () => new DynamoPublicKeyStore(dynamoDocument, config.IDENTITY_TABLE).load(),
  60_000,
);
const identityJwks = new TtlCache(
  () => new DynamoPublicKeyStore(dynamoDocument, config.IDENTITY_TABLE, IDENTITY_JWKS_KEY).load(),
  60_000,
);
const metadata = authorizationServerMetadata(config.TOKEN_ISSUER);
const publicDocument = { ...openapi, servers: [{ url: config.TOKEN_ISSUER }] };

/** Public, cacheable documents: the two JWKS, authorization-server metadata and the platform's OpenAPI. */
export const handler = httpHandler(logger, async (event) => {
  switch (DISCOVERY_ROUTES[event.routeKey as DiscoveryRouteKey]) {
    case 'jwks':
      return json(200, await jwks.get(), { 'cache-control': 'public, max-age=300' });
    case 'identity-jwks':
      return json(200, await identityJwks.get(), { 'cache-control': 'public, max-age=300' });
    case 'authorization-server-metadata':
      return json(200, metadata, { 'cache-control': 'public, max-age=3600' });
    case 'openapi':
      return json(200, publicDocument, { 'cache-control': 'public, max-age=300' });
    default:
      throw new ProblemError('not-found');
  }
});
