import { readFile } from 'node:fs/promises';
import { dynamoDocument } from '../../shared/aws/dynamo.ts';
import { TtlCache } from '../../shared/cache.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { hotPathHttpHandler } from '../../shared/http/http-stack.ts';
import { ProblemError } from '../../shared/http/problem.ts';
import { json } from '../../shared/http/types.ts';
import { IDENTITY_JWKS_KEY } from '../../shared/identity/adapters/identity-keys.ts';
import { DynamoPublicKeyStore } from '../../shared/identity/adapters/signing-key-stores.ts';
import { authorizationServerMetadata } from '../../shared/identity/metadata.ts';
import { createLogger } from '../../shared/observability.ts';
import { DISCOVERY_ROUTES, type DiscoveryRouteKey, OPENAPI_FILE } from './routes.ts';

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

/** Beside the bundle in a deployment, in the repository when run from source. */
const OPENAPI_PLACES = [`./${OPENAPI_FILE}`, `../../openapi/${OPENAPI_FILE}`];

/**
 * The platform's OpenAPI document with this deployment as its server, read when first asked for: the
 * document is as large as the rest of the function, and loading it at cold start would delay every
 * other discovery answer.
 */
let publicDocument: Promise<Record<string, unknown>> | undefined;
async function readPublicDocument(): Promise<Record<string, unknown>> {
  for (const place of OPENAPI_PLACES) {
    let text: string;
    try {
      text = await readFile(new URL(place, import.meta.url), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    return { ...JSON.parse(text), servers: [{ url: config.TOKEN_ISSUER }] };
  }
  throw new Error(`${OPENAPI_FILE} is not beside the function`);
}
const openapi = () => {
  publicDocument ??= readPublicDocument().catch((error) => {
    publicDocument = undefined;
    throw error;
  });
  return publicDocument;
};

/** Public, cacheable documents: the two JWKS, authorization-server metadata and the platform's OpenAPI. */
export const handler = hotPathHttpHandler(logger, async (event) => {
  switch (DISCOVERY_ROUTES[event.routeKey as DiscoveryRouteKey]) {
    case 'jwks':
      return json(200, await jwks.get(), { 'cache-control': 'public, max-age=300' });
    case 'identity-jwks':
      return json(200, await identityJwks.get(), { 'cache-control': 'public, max-age=300' });
    case 'authorization-server-metadata':
      return json(200, metadata, { 'cache-control': 'public, max-age=3600' });
    case 'openapi':
      return json(200, await openapi(), { 'cache-control': 'public, max-age=300' });
    default:
      throw new ProblemError('not-found');
  }
});
