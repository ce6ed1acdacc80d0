import type { ConsoleRole } from '../../shared/console/roles.ts';

/** The test-case routes of the console and the least role each needs (the CDK construct reads them too). */
export const TEST_CASE_ROUTES = {
  'GET /console/v1/apis/{apiName}/test-cases': 'viewer',
  'POST /console/v1/apis/{apiName}/test-cases': 'operator',
  'GET /console/v1/apis/{apiName}/test-cases/{caseId}': 'viewer',
  'PUT /console/v1/apis/{apiName}/test-cases/{caseId}': 'operator',
  'DELETE /console/v1/apis/{apiName}/test-cases/{caseId}': 'operator',
  'POST /console/v1/apis/{apiName}/test-cases/{caseId}/run': 'operator',
  'GET /console/v1/apis/{apiName}/test-cases/{caseId}/runs': 'viewer',
  'POST /console/v1/apis/{apiName}/test-cases/{caseId}/load-runs': 'operator',
  'GET /console/v1/apis/{apiName}/test-cases/{caseId}/load-runs': 'viewer',
  'GET /console/v1/apis/{apiName}/test-cases/{caseId}/load-runs/{loadRunId}': 'viewer',
} as const satisfies Record<string, ConsoleRole>;

export type TestCaseRouteKey = keyof typeof TEST_CASE_ROUTES;
