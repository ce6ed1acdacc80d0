import { apiFetch } from '../../api/client.ts';
import type { RateLimitPlan } from '../../api/rate-limits.ts';
import type { Page, PageRequest } from './page.ts';
import { queryString, segment } from './query-string.ts';

export type AccessRequestStatus = 'pending' | 'approved' | 'rejected';

/**
 * A developer's request that one of their apps may call an API (`AccessRequest`): its scopes, a
 * rate-limit plan for the app, or both.
 */
export interface AccessRequest {
  requestId: string;
  appId: string;
  appName: string;
  developerId: string;
  apiName: string;
  /** The scopes asked for that the app lacked; empty for a plan alone, or when the API requires none. */
  scopes: string[];
  /** The plan asked for: approval sets these limits on the app, the others stay as they are. */
  rateLimits?: RateLimitPlan;
  note?: string;
  status: AccessRequestStatus;
  createdAt: string;
  /** The person who applied (their user id). */
  requestedBy: string;
  decidedAt?: string;
  decidedBy?: string;
  /** Why it was decided so, as the developer reads it. */
  reason?: string;
}

export const fetchAccessRequests = (
  status: AccessRequestStatus,
  page: PageRequest,
): Promise<Page<AccessRequest>> =>
  apiFetch<Page<AccessRequest>>(`/console/v1/access-requests${queryString({ status, ...page })}`);

/** Approves the request: its scopes are granted, and its plan set, on the app in the same write. */
export const approveAccessRequest = (requestId: string, reason?: string): Promise<AccessRequest> =>
  apiFetch<AccessRequest>(`/console/v1/access-requests/${segment(requestId)}/approve`, {
    method: 'POST',
    json: reason ? { reason } : {},
  });

/** Rejects the request; the developer reads `reason`. */
export const rejectAccessRequest = (requestId: string, reason: string): Promise<AccessRequest> =>
  apiFetch<AccessRequest>(`/console/v1/access-requests/${segment(requestId)}/reject`, {
    method: 'POST',
    json: { reason },
  });
