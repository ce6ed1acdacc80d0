import { httpHandler } from '../../shared/http/middleware.ts';
import { ProblemError } from '../../shared/http/problem.ts';
import { createLogger } from '../../shared/observability.ts';
import { PLANNED_ROUTES } from './routes.ts';

const logger = createLogger('fallback');

const planned = new Set<string>(PLANNED_ROUTES);

/** Serves the planned routes (501) and the `$default` route, so even a typo gets problem+json. */
export const handler = httpHandler(logger, async (event) => {
  if (planned.has(event.routeKey)) {
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
