import { dynamoDocument } from '../../shared/aws/dynamo.ts';
import { secretsManager } from '../../shared/aws/secrets-manager.ts';
import { TtlCache } from '../../shared/cache.ts';
import { TOKEN_AUDIENCE } from '../../shared/config/names.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { hotPathHttpHandler } from '../../shared/http/http-stack.ts';
import { DynamoAppStore } from '../../shared/identity/adapters/dynamo-app-store.ts';
import { DynamoAuthFailureLimiter } from '../../shared/identity/adapters/dynamo-auth-failure-limiter.ts';
import { DynamoAuthorizationStore } from '../../shared/identity/adapters/dynamo-authorization-store.ts';
import { DynamoRefreshTokenStore } from '../../shared/identity/adapters/dynamo-refresh-token-store.ts';
import { DynamoTokenStore } from '../../shared/identity/adapters/dynamo-token-store.ts';
import { DynamoUserDirectory } from '../../shared/identity/adapters/dynamo-user-directory.ts';
import { SecretsManagerSigningKeyStore } from '../../shared/identity/adapters/signing-key-stores.ts';
import { readOAuthRequest } from '../../shared/identity/http/oauth-request.ts';
import { oauthFailure, tokenResponse } from '../../shared/identity/http/oauth-response.ts';
import { handleTokenRequest } from '../../shared/identity/token-endpoint.ts';
import { count, createLogger, createMetrics } from '../../shared/observability.ts';

const config = loadSettings([
  'IDENTITY_TABLE',
  'SIGNING_KEYS_SECRET',
  'TOKEN_ISSUER',
  'ACCESS_TOKEN_TTL_SECONDS',
  'REFRESH_TOKEN_TTL_SECONDS',
]);

const logger = createLogger('oauth-token');
const metrics = createMetrics('oauth-token');
const table = config.IDENTITY_TABLE;
const signingKeys = new TtlCache(
  () => new SecretsManagerSigningKeyStore(secretsManager, config.SIGNING_KEYS_SECRET).load(),
  300_000,
);
const deps = {
  apps: new DynamoAppStore(dynamoDocument, table),
  failures: new DynamoAuthFailureLimiter(dynamoDocument, table),
  tokens: new DynamoTokenStore(dynamoDocument, table),
  refreshTokens: new DynamoRefreshTokenStore(dynamoDocument, table),
  authorizations: new DynamoAuthorizationStore(dynamoDocument, table),
  users: new DynamoUserDirectory(dynamoDocument, table),
  signingKeys: () => signingKeys.get(),
  settings: {
    issuer: config.TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
  },
};

/** POST /oauth2/token: client_credentials, authorization_code (PKCE) and refresh_token grants. */
export const handler = hotPathHttpHandler(
  logger,
  async (event) => {
    try {
      const { params, client } = readOAuthRequest(event);
      const issued = await handleTokenRequest(
        deps,
        { params, client, sourceIp: event.requestContext.http.sourceIp },
        new Date(),
      );
      logger.info('token issued', {
        clientId: client.clientId,
        grant: params.get('grant_type'),
        scope: issued.scope,
      });
      count(metrics, 'TokensIssued');
      return tokenResponse(issued);
    } catch (error) {
      return oauthFailure(error, {
        logger,
        metrics,
        onRefused: (refusal) => {
          logger.info('token refused', { error: refusal.error, status: refusal.status });
          count(
            metrics,
            refusal.error === 'invalid_client' ? 'ClientAuthenticationFailures' : 'TokenRequestsRefused',
          );
        },
      });
    }
  },
  metrics,
);
