import { apiFetch } from '../../api/client.ts';
import type { Page, PageRequest } from './page.ts';
import { queryString, segment } from './query-string.ts';

export interface RampStep {
  percent: number;
  minDurationMs: number;
  minCalls: number;
  maxDurationMs?: number;
}

/** A partner as `GET /console/v1/partners` lists it (`PartnerView`: never its secrets). */
export interface Partner {
  partnerId: string;
  name: string;
  description?: string;
  partnerNoticesOn: boolean;
  defaultHealthy: boolean;
  rank: number;
  encrypted: boolean;
  hasSharedSecret: boolean;
  policy: { ramp: RampStep[]; probesToRamp: number; [member: string]: unknown };
  notices?: { url: string; pollIntervalSeconds: number };
  probe?: { url: string };
  createdAt: string;
  updatedAt: string;
  revision: number;
}

export type Standing = 'healthy' | 'ramping' | 'unhealthy';
export type NoticeSource = 'partner' | 'admin' | 'automatic';

/** The partner's health now (`PartnerHealth`). */
export interface PartnerHealth {
  partnerId: string;
  healthy: boolean;
  standing: Standing;
  phase: 'healthy' | 'unhealthy' | 'probing' | 'ramping' | 'unknown';
  /** Share of calls let through, 0–100. */
  admittedPercent: number;
  notices: { noticeId: string; source: NoticeSource; content: string; begin: string; end: string }[];
  asOf: string;
  degraded: boolean;
  rank?: number;
}

export interface PollStatus {
  consecutiveFailures: number;
  /** Epoch milliseconds. */
  lastSuccessAt?: number;
  lastFailure?: { at: number; detail: string };
}

/** `GET /console/v1/partners/{partnerId}`. */
export interface PartnerDetails extends Partner {
  health?: PartnerHealth;
  polling?: PollStatus;
}

export interface Notice {
  partnerId: string;
  noticeId: string;
  source: NoticeSource;
  content: string;
  begin: string;
  end: string;
  status: 'effective' | 'invalid';
  createdAt: string;
  updatedAt: string;
  operatorId: string;
  changeCount: number;
  clearedBy?: string;
  inForce: boolean;
}

export interface Transition {
  eventId: string;
  partnerId: string;
  from: string;
  to: string;
  event: string;
  admittedPercent: number;
  at: string;
  reason?: string;
}

/** What an operator states in a new notice (`NoticeInput`). */
export interface NoticeInput {
  content: string;
  begin: string;
  end: string;
  effective?: boolean;
}

export const fetchPartners = (): Promise<Partner[]> =>
  apiFetch<{ items: Partner[] }>('/console/v1/partners').then((answer) => answer.items);

export const fetchPartner = (partnerId: string): Promise<PartnerDetails> =>
  apiFetch<PartnerDetails>(`/console/v1/partners/${segment(partnerId)}`);

export const fetchNotices = (partnerId: string): Promise<Notice[]> =>
  apiFetch<{ items: Notice[] }>(`/console/v1/partners/${segment(partnerId)}/notices`).then(
    (answer) => answer.items,
  );

export const fetchTransitions = (partnerId: string, page: PageRequest): Promise<Page<Transition>> =>
  apiFetch<Page<Transition>>(
    `/console/v1/partners/${segment(partnerId)}/transitions${queryString({ ...page })}`,
  );

export const createNotice = (partnerId: string, notice: NoticeInput): Promise<Notice> =>
  apiFetch<Notice>(`/console/v1/partners/${segment(partnerId)}/notices`, { method: 'POST', json: notice });
