/** Where an API's test cases are in the console (paths below /console). */
export const casesHref = (apiName: string): string => `/apis/${encodeURIComponent(apiName)}/test-cases`;

export const caseHref = (apiName: string, caseId: string): string =>
  `${casesHref(apiName)}/${encodeURIComponent(caseId)}`;

/** A case's page showing one of its load runs. */
export const loadRunHref = (apiName: string, caseId: string, loadRunId: string): string =>
  `${caseHref(apiName, caseId)}?loadRun=${encodeURIComponent(loadRunId)}`;
