import { dynamoDocument } from '../../shared/aws/dynamo.ts';
import { kms } from '../../shared/aws/kms.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { readJsonObject } from '../../shared/http/body.ts';
import { httpHandler } from '../../shared/http/middleware.ts';
import { ProblemError } from '../../shared/http/problem.ts';
import { queryParams } from '../../shared/http/query.ts';
import { json } from '../../shared/http/types.ts';
import { KmsSecretCipher } from '../../shared/identity/adapters/kms-secret-cipher.ts';
import { createLogger } from '../../shared/observability.ts';
import { dynamoPartnerStores } from '../../shared/partners/adapters/dynamo-partner-stores.ts';
import { type PushDeps, receivePush } from '../../shared/partners/receive-push.ts';
import { PARTNER_PUSH_ROUTE } from './routes.ts';

const config = loadSettings(['PARTNERS_TABLE', 'SECRETS_KEY_ID']);
const logger = createLogger('partners-push');
const stores = dynamoPartnerStores(dynamoDocument, kms, config.SECRETS_KEY_ID, config.PARTNERS_TABLE, (key) =>
  logger.error('partner record signature failed', key),
);
const deps: PushDeps = {
  partners: stores.partners,
  notices: stores.notices,
  once: stores.once,
  cipher: new KmsSecretCipher(kms, config.SECRETS_KEY_ID),
};

/**
 * A partner pushes its notices, signed with its shared secret (seed 003 §6.3); the answer says which
 * were created, changed or already known. Nothing is written unless every check passes.
 */
export const handler = httpHandler(logger, async (event) => {
  if (event.routeKey !== PARTNER_PUSH_ROUTE) throw new ProblemError('not-found');
  queryParams(event.rawQueryString, []);
  const body = readJsonObject(event);
  const recorded = await receivePush(deps, body, Date.now());
  logger.info('partner notices pushed', {
    partnerId: body.partnerId,
    created: recorded.created.length,
    changed: recorded.changed.length,
  });
  return json(200, recorded);
});
