import { dynamoDocument, kms } from '../../shared/aws/clients.ts';
import { CONSOLE_ADMIN_SCOPE, TOKEN_AUDIENCE } from '../../shared/config/names.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { readJsonObject } from '../../shared/http/body.ts';
import { httpHandler } from '../../shared/http/middleware.ts';
import { ProblemError } from '../../shared/http/problem.ts';
import { header, json } from '../../shared/http/types.ts';
import { DynamoAppStore } from '../../shared/identity/adapters/dynamo-app-store.ts';
import { KmsSecretCipher } from '../../shared/identity/adapters/kms-secret-cipher.ts';
import { DynamoPublicKeyStore } from '../../shared/identity/adapters/signing-key-stores.ts';
import { registerApp, validateCreateApp } from '../../shared/identity/register-app.ts';
import { TokenVerifier } from '../../shared/identity/token-verifier.ts';
import { scopesOf } from '../../shared/identity/tokens.ts';
import { createLogger } from '../../shared/logger.ts';

const config = loadSettings(['IDENTITY_TABLE', 'SECRETS_KEY_ID', 'TOKEN_ISSUER']);

const logger = createLogger('console');
const apps = new DynamoAppStore(dynamoDocument, config.IDENTITY_TABLE);
const cipher = new KmsSecretCipher(kms, config.SECRETS_KEY_ID);
const verifier = new TokenVerifier(new DynamoPublicKeyStore(dynamoDocument, config.IDENTITY_TABLE), {
  issuer: config.TOKEN_ISSUER,
  audience: TOKEN_AUDIENCE,
});

/** The admin API. Every route needs a token carrying the console scope. */
export const handler = httpHandler(logger, async (event) => {
  const caller = await verifier.verifyBearer(header(event, 'authorization'));
  if (!scopesOf(caller).includes(CONSOLE_ADMIN_SCOPE)) {
    throw new ProblemError(
      'forbidden',
      `This route needs the ${CONSOLE_ADMIN_SCOPE} scope.`,
      {},
      {
        'www-authenticate': `Bearer realm="portico", error="insufficient_scope", scope="${CONSOLE_ADMIN_SCOPE}"`,
      },
    );
  }
  switch (event.routeKey) {
    case 'POST /console/v1/apps': {
      const input = validateCreateApp(readJsonObject(event));
      const { app, clientId, clientSecret } = await registerApp({ apps, cipher }, input, new Date());
      logger.info('app created', { appId: app.appId, clientId, by: caller.sub });
      return json(
        201,
        { ...app, credentials: [{ clientId, clientSecret, environment: 'production' }] },
        { location: `/console/v1/apps/${app.appId}`, 'cache-control': 'no-store' },
      );
    }
    case 'GET /console/v1/apps/{appId}': {
      const app = await apps.getApp(event.pathParameters?.appId ?? '');
      if (!app) throw new ProblemError('not-found', 'No app has this id.');
      return json(200, app);
    }
    default:
      throw new ProblemError('not-found');
  }
});
