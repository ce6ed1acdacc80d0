import { dynamoDocument } from '../../shared/aws/dynamo.ts';
import { platformLambda } from '../../shared/aws/platform-lambda.ts';
import { loadSettings } from '../../shared/config/settings.ts';
import { requireRole } from '../../shared/console/roles.ts';
import { readJsonObject } from '../../shared/http/body.ts';
import { httpHandler } from '../../shared/http/middleware.ts';
import { ProblemError } from '../../shared/http/problem.ts';
import { type HttpEvent, header, json, noContent } from '../../shared/http/types.ts';
import { tableBackedValidator } from '../../shared/identity/adapters/table-backed-validator.ts';
import { scopesOf } from '../../shared/identity/tokens.ts';
import { createLogger } from '../../shared/observability.ts';
import { LambdaLoadRunLauncher } from '../../shared/testcases/adapters/lambda-load-run-launcher.ts';
import { LoadRunActions } from '../../shared/testcases/load-run-actions.ts';
import { audit, store, testCases } from './actions.ts';
import { loadRunStore } from './load-runs.ts';
import { TEST_CASE_ROUTES, type TestCaseRouteKey } from './routes.ts';

const config = loadSettings(['IDENTITY_TABLE', 'TOKEN_ISSUER', 'LOAD_GENERATOR_FUNCTION']);
const logger = createLogger('test-cases');
const validator = tableBackedValidator(dynamoDocument, config.IDENTITY_TABLE, config.TOKEN_ISSUER);
const HISTORY_LIMIT = 50;
const loadRuns = new LoadRunActions({
  store: loadRunStore,
  cases: store,
  launcher: new LambdaLoadRunLauncher(platformLambda, config.LOAD_GENERATOR_FUNCTION),
  audit,
});

/** `If-Match: "<revision>"`, as the API registry's ETags are written. */
const revisionOf = (ifMatch: string | undefined) => {
  if (ifMatch === undefined) return undefined;
  const revision = Number(/^"(\d{1,9})"$/.exec(ifMatch.trim())?.[1]);
  if (!Number.isInteger(revision))
    throw new ProblemError('bad-request', 'If-Match must be a revision ETag, e.g. "3".');
  return revision;
};

/** The console's test-case routes: cases of an API, run now, and their history. */
export const handler = httpHandler(logger, async (event: HttpEvent) => {
  const routeKey = event.routeKey as TestCaseRouteKey;
  const needed = TEST_CASE_ROUTES[routeKey];
  if (!needed) throw new ProblemError('not-found');
  const token = await validator.validate(header(event, 'authorization'));
  const role = requireRole(token.sandbox ? [] : scopesOf(token), needed);
  const ctx = {
    actor: { subject: token.sub ?? '', clientId: token.client_id, role },
    requestId: event.requestContext.requestId,
    now: new Date(),
  };
  const { apiName = '', caseId = '', loadRunId = '' } = event.pathParameters ?? {};

  switch (routeKey) {
    case 'GET /console/v1/apis/{apiName}/test-cases':
      return json(200, { items: await testCases.list(apiName) });
    case 'POST /console/v1/apis/{apiName}/test-cases': {
      const created = await testCases.create(ctx, apiName, readJsonObject(event));
      return json(201, created, {
        location: `/console/v1/apis/${apiName}/test-cases/${created.caseId}`,
        etag: `"${created.revision}"`,
      });
    }
    case 'GET /console/v1/apis/{apiName}/test-cases/{caseId}': {
      const found = await testCases.get(apiName, caseId);
      return json(200, found, { etag: `"${found.revision}"` });
    }
    case 'PUT /console/v1/apis/{apiName}/test-cases/{caseId}': {
      const replaced = await testCases.replace(
        ctx,
        apiName,
        caseId,
        readJsonObject(event),
        revisionOf(header(event, 'if-match')),
      );
      return json(200, replaced, { etag: `"${replaced.revision}"` });
    }
    case 'DELETE /console/v1/apis/{apiName}/test-cases/{caseId}':
      await testCases.delete(ctx, apiName, caseId);
      return noContent();
    case 'POST /console/v1/apis/{apiName}/test-cases/{caseId}/run': {
      const run = await testCases.runNow(apiName, caseId, ctx.now);
      logger.info('test case run', { apiName, caseId, ok: run.ok, by: ctx.actor.subject });
      return json(200, run);
    }
    case 'GET /console/v1/apis/{apiName}/test-cases/{caseId}/runs':
      return json(200, { items: await testCases.history(apiName, caseId, HISTORY_LIMIT) });
    case 'POST /console/v1/apis/{apiName}/test-cases/{caseId}/load-runs': {
      const run = await loadRuns.start(ctx, apiName, caseId, readJsonObject(event));
      logger.info('load run queued', { apiName, caseId, loadRunId: run.loadRunId, by: ctx.actor.subject });
      return json(202, run, {
        location: `/console/v1/apis/${apiName}/test-cases/${caseId}/load-runs/${run.loadRunId}`,
      });
    }
    case 'GET /console/v1/apis/{apiName}/test-cases/{caseId}/load-runs':
      return json(200, { items: await loadRuns.list(apiName, caseId, ctx.now) });
    case 'GET /console/v1/apis/{apiName}/test-cases/{caseId}/load-runs/{loadRunId}':
      return json(200, await loadRuns.get({ apiName, caseId, loadRunId }, ctx.now));
  }
});
