import { backgroundDynamoDocument } from '../../shared/aws/dynamo.ts';
import { kms } from '../../shared/aws/kms.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { httpHandler } from '../../shared/http/middleware.ts';
import { ProblemError } from '../../shared/http/problem.ts';
import { queryParams } from '../../shared/http/query.ts';
import { header, json } from '../../shared/http/types.ts';
import { tableBackedValidator } from '../../shared/identity/adapters/table-backed-validator.ts';
import { scopesOf } from '../../shared/identity/tokens.ts';
import { HEALTH_READ_SCOPE } from '../../shared/kernel/scopes.ts';
import { createLogger } from '../../shared/observability.ts';
import { dynamoPartnerStores } from '../../shared/partners/adapters/dynamo-partner-stores.ts';
import { PartnerHealthReader, snapshotFromStores } from '../../shared/partners/health-reader.ts';
import { PARTNER_ID } from '../../shared/partners/partner.ts';
import { defaultOrderOf, rankPartners } from '../../shared/partners/partner-health.ts';
import { HEALTH_ROUTES, type HealthRouteKey } from './routes.ts';

const config = loadSettings(['IDENTITY_TABLE', 'TOKEN_ISSUER', 'PARTNERS_TABLE', 'SECRETS_KEY_ID']);
const logger = createLogger('partners-health');
const validator = tableBackedValidator(backgroundDynamoDocument, config.IDENTITY_TABLE, config.TOKEN_ISSUER);
// The background client: a store that hangs must not hold a reader past its deadline (the answer within 50 ms).
const stores = dynamoPartnerStores(
  backgroundDynamoDocument,
  kms,
  config.SECRETS_KEY_ID,
  config.PARTNERS_TABLE,
  (key) => logger.error('partner record signature failed', key),
);
const reader = new PartnerHealthReader(snapshotFromStores(stores));

const MAX_BATCH = 50;
const partnerId = new RegExp(PARTNER_ID);

/**
 * The health query (seed 003 §6.4) for internal services holding `health:read`: one partner, or a set
 * ranked for a caller choosing among them. Answers within the reader's deadline, from memory when the
 * store is slow, never an error because of the store.
 */
export const handler = httpHandler(logger, async (event) => {
  const routeKey = event.routeKey as HealthRouteKey;
  if (!HEALTH_ROUTES.includes(routeKey)) throw new ProblemError('not-found');
  const token = await validator.validate(header(event, 'authorization'));
  if (token.sandbox || !scopesOf(token).includes(HEALTH_READ_SCOPE)) {
    throw new ProblemError('forbidden', `Partner health needs the ${HEALTH_READ_SCOPE} scope.`, {
      missingScopes: [HEALTH_READ_SCOPE],
    });
  }
  if (routeKey === 'GET /health/v1/partners/{partnerId}') {
    queryParams(event.rawQueryString, []);
    const id = event.pathParameters?.partnerId ?? '';
    const health = partnerId.test(id) ? await reader.health(id) : undefined;
    if (!health) throw new ProblemError('not-found', `No partner has the id "${id.slice(0, 64)}".`);
    return json(200, health, { 'cache-control': 'no-store' });
  }
  const ids = readIds(queryParams(event.rawQueryString, ['ids']).get('ids'));
  const answers = await reader.many(ids);
  const known = [...answers.values()].filter((a) => a !== undefined);
  return json(
    200,
    {
      items: rankPartners(known, defaultOrderOf(known)),
      unknown: ids.filter((id) => answers.get(id) === undefined),
    },
    { 'cache-control': 'no-store' },
  );
});

function readIds(text: string | undefined): string[] {
  const ids = (text ?? '').split(',').filter(Boolean);
  if (
    ids.length === 0 ||
    ids.length > MAX_BATCH ||
    new Set(ids).size !== ids.length ||
    !ids.every((id) => partnerId.test(id))
  ) {
    throw new ProblemError(
      'bad-request',
      `ids takes 1 to ${MAX_BATCH} distinct partner ids, comma-separated.`,
    );
  }
  return ids;
}
