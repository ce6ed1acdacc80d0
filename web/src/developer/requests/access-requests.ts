import type { AccessRequest, AccessRequestStatus } from '../api/my-apps.ts';
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
