import { dynamoDocument, secretsManager } from '../../shared/aws/clients.ts';
import { TtlCache } from '../../shared/cache.ts';
import { TOKEN_AUDIENCE } from '../../shared/config/names.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { readForm } from '../../shared/http/body.ts';
import { httpHandler } from '../../shared/http/middleware.ts';
import { header } from '../../shared/http/types.ts';
import { DynamoAppStore } from '../../shared/identity/adapters/dynamo-app-store.ts';
import { SecretsManagerSigningKeyStore } from '../../shared/identity/adapters/signing-key-stores.ts';
import { clientCredentialsGrant } from '../../shared/identity/client-credentials-grant.ts';
import { OAuthError, readClientAuthentication } from '../../shared/identity/oauth.ts';
import { asOAuthError, oauthErrorResponse, tokenResponse } from '../../shared/identity/oauth-response.ts';
import { createLogger } from '../../shared/logger.ts';

const config = loadSettings([
  'IDENTITY_TABLE',
  'SIGNING_KEYS_SECRET',
  'TOKEN_ISSUER',
  'ACCESS_TOKEN_TTL_SECONDS',
]);

const logger = createLogger('oauth-token');
const apps = new DynamoAppStore(dynamoDocument, config.IDENTITY_TABLE);
const signingKeys = new TtlCache(
  () => new SecretsManagerSigningKeyStore(secretsManager, config.SIGNING_KEYS_SECRET).load(),
  300_000,
);
const settings = {
  issuer: config.TOKEN_ISSUER,
  audience: TOKEN_AUDIENCE,
  lifetimeSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
};

export const handler = httpHandler(logger, async (event) => {
  try {
    const { params, duplicates } = readForm(event);
    if (duplicates.length > 0)
      throw new OAuthError('invalid_request', `Repeated parameter: ${duplicates.join(', ')}.`);
    const client = readClientAuthentication(header(event, 'authorization'), params);
    const issued = await clientCredentialsGrant(
      { apps, signingKeys: () => signingKeys.get(), settings },
      { grantType: params.get('grant_type'), scope: params.get('scope'), client },
      new Date(),
    );
    logger.info('token issued', { clientId: client.clientId, jti: issued.jti, scope: issued.scope });
    return tokenResponse(issued);
  } catch (error) {
    const oauthError = asOAuthError(error);
    if (!oauthError) throw error;
    logger.info('token refused', { error: oauthError.error });
    return oauthErrorResponse(oauthError);
  }
});
