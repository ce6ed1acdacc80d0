import { httpHandler } from '../../shared/http/middleware.ts';
import { ProblemError } from '../../shared/http/problem.ts';
import { createLogger } from '../../shared/logger.ts';

const logger = createLogger('fallback');

/** Public paths reserved by the design whose capability has not been built yet. */
export const PLANNED_ROUTES = new Set(['ANY /v1/{proxy+}', 'GET /health/v1/partners/{partnerId}']);

/** Serves the planned routes (501) and the `$default` route, so even a typo gets problem+json. */
export const handler = httpHandler(logger, async (event) => {
  if (PLANNED_ROUTES.has(event.routeKey)) {
    throw new ProblemError(
      'not-implemented',
      `${event.routeKey} is part of the platform but not available yet.`,
    );
  }
  throw new ProblemError(
    'not-found',
    `No route matches ${event.requestContext.http.method} ${event.rawPath}.`,
  );
});
