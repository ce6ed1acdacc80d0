import { dynamoDocument } from '../../shared/aws/dynamo.ts';
import { TOKEN_AUDIENCE } from '../../shared/config/names.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { httpHandler } from '../../shared/http/middleware.ts';
import { json } from '../../shared/http/types.ts';
import { DynamoAppStore } from '../../shared/identity/adapters/dynamo-app-store.ts';
import { DynamoAuthFailureLimiter } from '../../shared/identity/adapters/dynamo-auth-failure-limiter.ts';
import { DynamoRefreshTokenStore } from '../../shared/identity/adapters/dynamo-refresh-token-store.ts';
import { DynamoTokenStore } from '../../shared/identity/adapters/dynamo-token-store.ts';
import { DynamoPublicKeyStore } from '../../shared/identity/adapters/signing-key-stores.ts';
import { readOAuthRequest } from '../../shared/identity/http/oauth-request.ts';
import { oauthFailure } from '../../shared/identity/http/oauth-response.ts';
import { OAuthError } from '../../shared/identity/oauth.ts';
import { introspect, revoke } from '../../shared/identity/token-introspection.ts';
import { TokenVerifier } from '../../shared/identity/token-verifier.ts';
import { createLogger } from '../../shared/observability.ts';

const config = loadSettings(['IDENTITY_TABLE', 'TOKEN_ISSUER']);
const logger = createLogger('oauth-token-management');
const table = config.IDENTITY_TABLE;
const deps = {
  apps: new DynamoAppStore(dynamoDocument, table),
  failures: new DynamoAuthFailureLimiter(dynamoDocument, table),
  tokens: new DynamoTokenStore(dynamoDocument, table),
  refreshTokens: new DynamoRefreshTokenStore(dynamoDocument, table),
  verifier: new TokenVerifier(new DynamoPublicKeyStore(dynamoDocument, table), {
    issuer: config.TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
  }),
};
const NO_STORE = { 'cache-control': 'no-store' };

/** POST /oauth2/introspect (RFC 7662) and POST /oauth2/revoke (RFC 7009); both authenticate the client. */
export const handler = httpHandler(logger, async (event) => {
  try {
    const { params, client } = readOAuthRequest(event);
    const token = params.get('token');
    if (!token) throw new OAuthError('invalid_request', 'token is required.');
    const sourceIp = event.requestContext.http.sourceIp;
    if (event.routeKey === 'POST /oauth2/introspect') {
      return json(200, await introspect(deps, client, token, sourceIp, new Date()), NO_STORE);
    }
    await revoke(deps, client, token, sourceIp, new Date());
    logger.info('revocation requested', { clientId: client.clientId, hint: params.get('token_type_hint') });
    return json(200, {}, NO_STORE);
  } catch (error) {
    return oauthFailure(error, { logger });
  }
});
