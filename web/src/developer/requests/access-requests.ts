import type { CatalogEntry } from '../../api/portal.ts';
import type { RateLimitPlan } from '../../api/rate-limits.ts';
import type { AccessRequest, AccessRequestStatus, AppSummary, NewAccessRequest } from '../api/my-apps.ts';
import type { Tone } from '../ui/tone.ts';

export const REQUEST_TONES: Record<AccessRequestStatus, Tone> = {
  pending: 'warning',
  approved: 'success',
  rejected: 'danger',
};

export const REQUEST_LABELS: Record<AccessRequestStatus, string> = {
  pending: 'Pending',
  approved: 'Approved',
  rejected: 'Rejected',
};

/** One app's requests, in the inbox's order (newest first). */
export const requestsOfApp = (requests: readonly AccessRequest[], appId: string): AccessRequest[] =>
  requests.filter((request) => request.appId === appId);

/** How many requests still wait for an operator. */
export const pendingCount = (requests: readonly AccessRequest[]): number =>
  requests.filter((request) => request.status === 'pending').length;

const API_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The API `?apply=<name>` asks to request access to, when it names one. */
export function applyTarget(search: string): string | undefined {
  const name = new URLSearchParams(search).get('apply')?.trim();
  return name && API_NAME.test(name) ? name : undefined;
}

/**
 * What the form sends: the API, and the plan when one is given. The platform asks for every scope of
 * the API the app lacks (its routes' too) beside the plan; when it lacks none, for the plan alone.
 */
export function newAccessRequest(
  apiName: string,
  plan: RateLimitPlan | undefined,
  note: string,
): NewAccessRequest {
  const text = note.trim();
  return {
    apiName,
    ...(plan ? { rateLimits: plan } : {}),
    ...(text ? { note: text } : {}),
  };
}

/** The scopes the API asks for that the app does not hold yet, as the catalog tells. */
export const missingScopes = (api: CatalogEntry | undefined, app: AppSummary | undefined): string[] =>
  api && app ? api.requiredScopes.filter((scope) => !app.scopes.includes(scope)) : [];

/**
 * What a request for `api` will ask for, said under the API's select: the scopes the app lacks, the
 * plan, or both.
 */
export function askedForHint(
  api: CatalogEntry | undefined,
  app: AppSummary | undefined,
  withPlan: boolean,
): string {
  if (!api) return 'The API your app needs to call.';
  const missing = missingScopes(api, app);
  if (api.requiredScopes.length === 0)
    return withPlan
      ? `${api.name} names no scope of its own: the request asks for the scopes of its operations the app lacks, and the plan.`
      : `${api.name} names no scope of its own: the request asks for the scopes of its operations.`;
  if (missing.length === 0 && app)
    return withPlan
      ? `${app.name} already holds ${api.requiredScopes.join(', ')}: the request asks for the plan alone.`
      : `${app.name} already holds ${api.requiredScopes.join(', ')}.`;
  const scopes = (missing.length > 0 ? missing : api.requiredScopes).join(', ');
  return withPlan ? `Asks for ${scopes} and the rate-limit plan.` : `Asks for ${scopes}.`;
}
