import { dynamoDocument } from '../../shared/aws/dynamo.ts';
import { kms } from '../../shared/aws/kms.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { DynamoConsoleStore } from '../../shared/console/adapters/dynamo-console-store.ts';
import { requireRole } from '../../shared/console/roles.ts';
import { dnsResolver } from '../../shared/egress/adapters/dns-resolver.ts';
import { EgressGuard } from '../../shared/egress/guard.ts';
import { parseEgressAllowList } from '../../shared/egress/policy.ts';
import { readJsonObject } from '../../shared/http/body.ts';
import { httpHandler } from '../../shared/http/middleware.ts';
import { ProblemError } from '../../shared/http/problem.ts';
import { PAGE_PARAMS, pageParams, queryParams } from '../../shared/http/query.ts';
import { type HttpEvent, header, json, noContent } from '../../shared/http/types.ts';
import { KmsSecretCipher } from '../../shared/identity/adapters/kms-secret-cipher.ts';
import { tableBackedValidator } from '../../shared/identity/adapters/table-backed-validator.ts';
import { scopesOf } from '../../shared/identity/tokens.ts';
import { paged } from '../../shared/kernel/page.ts';
import { createLogger } from '../../shared/observability.ts';
import { dynamoPartnerStores } from '../../shared/partners/adapters/dynamo-partner-stores.ts';
import { PartnerHealthReader, snapshotFromStores } from '../../shared/partners/health-reader.ts';
import type { Notice } from '../../shared/partners/notice.ts';
import { NoticeActions, noticeView } from '../../shared/partners/notice-actions.ts';
import { PartnerActions, partnerView } from '../../shared/partners/partner-actions.ts';
import { transitionView } from '../../shared/partners/transition-view.ts';
import { PARTNER_CONSOLE_ROUTES, type PartnerConsoleRouteKey } from './routes.ts';

const config = loadSettings([
  'IDENTITY_TABLE',
  'TOKEN_ISSUER',
  'PARTNERS_TABLE',
  'SECRETS_KEY_ID',
  'EGRESS_ALLOW',
]);
const logger = createLogger('partners-console');
const validator = tableBackedValidator(dynamoDocument, config.IDENTITY_TABLE, config.TOKEN_ISSUER);
const stores = dynamoPartnerStores(dynamoDocument, kms, config.SECRETS_KEY_ID, config.PARTNERS_TABLE, (key) =>
  logger.error('partner record signature failed', key),
);
const audit = new DynamoConsoleStore(dynamoDocument, config.IDENTITY_TABLE);
const partners = new PartnerActions({
  partners: stores.partners,
  cipher: new KmsSecretCipher(kms, config.SECRETS_KEY_ID),
  egress: new EgressGuard(parseEgressAllowList(config.EGRESS_ALLOW), dnsResolver()),
  store: audit,
});
const notices = new NoticeActions({ partners: stores.partners, notices: stores.notices, store: audit });
// Operators see the state as of now: a snapshot read on every request.
const health = new PartnerHealthReader(snapshotFromStores(stores), {
  ttlMs: 0,
  deadlineMs: 2_000,
  staleAfterMs: 5_000,
  forgetAfterMs: 300_000,
  maxPartners: 1_000,
});

/** Partners and their notices in the console: every route checks the caller's role, every write is audited. */
export const handler = httpHandler(logger, (event) => route(event));

const route = async (event: HttpEvent) => {
  const routeKey = event.routeKey as PartnerConsoleRouteKey;
  const needed = PARTNER_CONSOLE_ROUTES[routeKey];
  if (!needed) throw new ProblemError('not-found');
  const token = await validator.validate(header(event, 'authorization'));
  const role = requireRole(token.sandbox ? [] : scopesOf(token), needed);
  const ctx = {
    actor: { subject: token.sub, clientId: token.client_id, role },
    requestId: event.requestContext.requestId,
    now: new Date(),
  };
  const query = queryParams(
    event.rawQueryString,
    routeKey === 'GET /console/v1/partners/{partnerId}/transitions' ? PAGE_PARAMS : [],
  );
  const p = event.pathParameters ?? {};
  const now = ctx.now.getTime();
  const view = async (notice: Notice) =>
    noticeView(notice, now, (await partners.get(notice.partnerId)).partnerNoticesOn);

  switch (routeKey) {
    case 'GET /console/v1/partners':
      return json(200, { items: (await partners.list()).map(partnerView) });
    case 'GET /console/v1/partners/{partnerId}': {
      const partner = await partners.get(p.partnerId!);
      const [current, polling] = await Promise.all([
        health.health(partner.partnerId),
        stores.pollLog.get(partner.partnerId),
      ]);
      return json(
        200,
        { ...partnerView(partner), health: current, polling },
        { etag: `"${partner.revision}"` },
      );
    }
    case 'PUT /console/v1/partners/{partnerId}': {
      const { created, partner } = await partners.put(
        ctx,
        p.partnerId!,
        readJsonObject(event),
        header(event, 'if-match'),
      );
      return json(created ? 201 : 200, partnerView(partner), { etag: `"${partner.revision}"` });
    }
    case 'DELETE /console/v1/partners/{partnerId}':
      await partners.delete(ctx, p.partnerId!);
      return noContent();
    case 'GET /console/v1/partners/{partnerId}/transitions': {
      const partner = await partners.get(p.partnerId!);
      const page = await paged(() => stores.transitions.list(partner.partnerId, pageParams(query)));
      return json(200, {
        items: page.items.map((t) => ({ eventId: t.eventId, ...transitionView(t) })),
        ...(page.next ? { next: page.next } : {}),
      });
    }
    case 'GET /console/v1/partners/{partnerId}/notices':
      return json(200, { items: await notices.list(p.partnerId!, now) });
    case 'POST /console/v1/partners/{partnerId}/notices': {
      const notice = await notices.create(ctx, p.partnerId!, readJsonObject(event));
      return json(201, await view(notice), {
        location: `/console/v1/partners/${notice.partnerId}/notices/admin/${notice.noticeId}`,
        etag: `"${notice.changeCount}"`,
      });
    }
    case 'GET /console/v1/partners/{partnerId}/notices/{source}/{noticeId}': {
      const notice = await notices.get(p.partnerId!, p.source!, p.noticeId!);
      return json(200, await view(notice), { etag: `"${notice.changeCount}"` });
    }
    case 'PATCH /console/v1/partners/{partnerId}/notices/{source}/{noticeId}': {
      if (p.source !== 'admin') {
        throw new ProblemError(
          'conflict',
          'Only operator (admin) notices can be changed; partner and automatic ones can be deleted.',
        );
      }
      const notice = await notices.update(
        ctx,
        p.partnerId!,
        p.noticeId!,
        readJsonObject(event),
        header(event, 'if-match'),
      );
      return json(200, await view(notice), { etag: `"${notice.changeCount}"` });
    }
    case 'DELETE /console/v1/partners/{partnerId}/notices/{source}/{noticeId}': {
      const notice = await notices.delete(
        ctx,
        p.partnerId!,
        p.source!,
        p.noticeId!,
        header(event, 'if-match'),
      );
      return json(200, await view(notice), { etag: `"${notice.changeCount}"` });
    }
  }
};
