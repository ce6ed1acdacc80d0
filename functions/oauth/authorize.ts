import { dynamoDocument } from '../../shared/aws/dynamo.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { readForm } from '../../shared/http/body.ts';
import { httpHandler } from '../../shared/http/middleware.ts';
import { readQuery } from '../../shared/http/query.ts';
import { DynamoAppStore } from '../../shared/identity/adapters/dynamo-app-store.ts';
import { DynamoAuthFailureLimiter } from '../../shared/identity/adapters/dynamo-auth-failure-limiter.ts';
import { DynamoAuthorizationStore } from '../../shared/identity/adapters/dynamo-authorization-store.ts';
import { DynamoUserDirectory } from '../../shared/identity/adapters/dynamo-user-directory.ts';
import { completeAuthorization, startAuthorization } from '../../shared/identity/authorize.ts';
import { authorizeResponse } from '../../shared/identity/http/consent-page.ts';
import {
  DEPENDENCY_RETRY_AFTER_SECONDS,
  dependencyFailure,
} from '../../shared/kernel/dependency-failures.ts';
import { createLogger } from '../../shared/observability.ts';

const config = loadSettings(['IDENTITY_TABLE', 'TOKEN_ISSUER']);
const logger = createLogger('oauth-authorize');
const table = config.IDENTITY_TABLE;
const deps = {
  apps: new DynamoAppStore(dynamoDocument, table),
  authorizations: new DynamoAuthorizationStore(dynamoDocument, table),
  // The demo directory; plug the company's identity provider in here (see shared/identity/users.ts).
  users: new DynamoUserDirectory(dynamoDocument, table),
  failures: new DynamoAuthFailureLimiter(dynamoDocument, table),
  issuer: config.TOKEN_ISSUER,
};

/** GET /oauth2/authorize shows the sign-in and consent page; POST /oauth2/authorize acts on it. */
export const handler = httpHandler(logger, async (event) => {
  const now = new Date();
  try {
    const outcome =
      event.requestContext.http.method === 'POST'
        ? await completeAuthorization(deps, readForm(event).params, event.requestContext.http.sourceIp, now)
        : await startAuthorization(deps, readQuery(event.rawQueryString), now);
    logger.info('authorization step', { outcome: outcome.kind });
    return authorizeResponse(outcome);
  } catch (error) {
    // The client and its redirect URI cannot be checked, so there is nowhere safe to redirect the
    // RFC 6749 temporarily_unavailable error to: the user is shown a page and may simply retry.
    const failure = dependencyFailure(error);
    if (!failure) throw error;
    logger.warn('dependency unavailable', { failure, error: (error as Error).name });
    const page = authorizeResponse({
      kind: 'error-page',
      status: 503,
      message: 'Sign-in is temporarily unavailable. Please try again in a moment.',
    });
    return { ...page, headers: { ...page.headers, 'retry-after': String(DEPENDENCY_RETRY_AFTER_SECONDS) } };
  }
});
