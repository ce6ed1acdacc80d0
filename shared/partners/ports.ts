import type { Page, PageRequest } from '../kernel/page.ts';
import type { HealthEvent, HealthPhase, HealthState } from './health-machine.ts';
import type { Notice, NoticeSource } from './notice.ts';
import type { Partner, ProbeTarget } from './partner.ts';
import type { PartnerSnapshot } from './partner-health.ts';

/** A partner as stored: its definition, its revision, and its secrets as KMS ciphertext only. */
export interface StoredPartner extends Partner {
  revision: number;
  createdAt: number;
  updatedAt: number;
  /** Ciphertext of the HMAC-SHA256 shared secret (context: `partnerSecretContext`). */
  sharedSecretCiphertext?: string;
  /** Ciphertext of the base64 AES-256-GCM key. */
  aesKeyCiphertext?: string;
}

export interface PartnerStore {
  get(partnerId: string): Promise<StoredPartner | undefined>;
  /** Every partner, by id. */
  list(): Promise<StoredPartner[]>;
  /**
   * Stores the partner as its next revision. With `expectedRevision` (0: must not exist yet) it throws
   * RevisionConflictError unless the stored revision is that one.
   */
  put(partner: Omit<StoredPartner, 'revision'>, expectedRevision?: number): Promise<StoredPartner>;
  /** Removes the partner with its notices and health state; false when there was none. */
  delete(partnerId: string): Promise<boolean>;
}

/**
 * Notices, kept apart by source (the seed's two keys: the partner's own, the operators' and
 * detection's). Every stored record is signed; one whose signature fails is left out of every read
 * and reported through `onForgery`.
 */
export interface NoticeStore {
  get(partnerId: string, source: NoticeSource, noticeId: string): Promise<Notice | undefined>;
  /** A partner's notices of every source (in force or not), by source then id. */
  list(partnerId: string): Promise<Notice[]>;
  /**
   * Stores the notice if the stored one has `expectedChangeCount` changes (`undefined`: must not exist
   * yet); false when another writer got there first.
   */
  save(notice: Notice, expectedChangeCount: number | undefined): Promise<boolean>;
}

/** What automatic health keeps of a partner between evaluations. */
export interface PartnerWatch {
  state: HealthState;
  /** Probes failed in a row, whatever the phase. */
  probeFailuresInRow: number;
  /** The automatic notice open while the partner is not healthy. */
  automaticNoticeId?: string;
  /** Transitions saved but not yet published (an outbox: a crash before publishing loses none). */
  outbox?: PartnerTransition[];
}

/** An event on every transition of a partner's automatic health (published on `portico.partner-health`). */
export interface PartnerTransition {
  /** Stable for the transition, so a repeated publish is one message. */
  eventId: string;
  partnerId: string;
  from: HealthPhase;
  to: HealthPhase;
  event: HealthEvent;
  /** Share of calls let through after it, 0–100. */
  admittedPercent: number;
  at: number;
  reason: string;
}

export type PartnerEvents = (transitions: readonly PartnerTransition[]) => Promise<void>;

/** Each partner's transitions, kept for the console's history (newest first). */
export interface TransitionLog {
  /** Keeps the transitions; one already kept (same event id) is kept once. */
  append(transitions: readonly PartnerTransition[]): Promise<void>;
  list(partnerId: string, page: PageRequest): Promise<Page<PartnerTransition>>;
}

/** One probe of a partner's probe target (the egress policy decides first). */
export type Prober = (target: ProbeTarget) => Promise<{ passed: boolean; detail: string }>;

/** Each partner's `PartnerWatch`, moved by versioned writes. */
export interface HealthStateStore {
  get(partnerId: string): Promise<{ watch: PartnerWatch; version: number } | undefined>;
  save(partnerId: string, watch: PartnerWatch, expectedVersion: number): Promise<boolean>;
}

/** Claims that are good once: a nonce of a partner push, a poll of a partner in one interval. */
export interface OnceStore {
  /** True the first time `key` is claimed before `expiresAt`; false after. */
  claim(key: string, expiresAt: number): Promise<boolean>;
}

/** Signs stored records with a key only Portico holds (envelope-encrypted by KMS). */
export interface RecordSigner {
  sign(record: Readonly<Record<string, unknown>>): Promise<string>;
  verify(record: Readonly<Record<string, unknown>>, signature: string): Promise<boolean>;
}

/**
 * Calls to a partner's APIs in one health window (a minute unless `PARTNER_HEALTH_WINDOW_SECONDS` says
 * otherwise): what automatic detection and the ramp gates read.
 */
export interface TrafficWindow {
  /** When the window began (epoch ms, a multiple of its length). */
  start: number;
  calls: number;
  succeeded: number;
  /** Calls slower than the partner's latency threshold (`missesGate` in health-machine.ts says why). */
  slow: number;
}

export interface TrafficStore {
  /**
   * Stores one instance's running totals of a window: a later write of the same instance and window
   * replaces the earlier, so a retried or repeated write changes nothing.
   */
  put(partnerId: string, instanceId: string, totals: TrafficWindow): Promise<void>;
  /** Every instance's totals summed per window, for the windows starting in [from, to] (epoch ms), oldest first. */
  read(partnerId: string, from: number, to: number): Promise<TrafficWindow[]>;
}

/** What one poll of a partner's notice endpoint got: its answer's JSON, or why there is none. */
export type FetchedAnswer =
  | { ok: true; status: number; body: unknown }
  | {
      ok: false;
      reason: 'timeout' | 'connection' | 'egress-refused' | 'not-json' | 'http-status';
      detail: string;
    };

/** POSTs a signed poll to a partner (the egress policy decides first) and reads its JSON answer. */
export type NoticeFetcher = (request: {
  url: string;
  body: Record<string, unknown>;
  timeoutMs: number;
}) => Promise<FetchedAnswer>;

/** Each partner's polling record: consecutive failed intervals decide its alarm. */
export interface PollLog {
  /**
   * Records the outcome of the poll of interval `slot`: each slot counts once, so a retried record
   * changes nothing. Returns the failures in a row after it.
   */
  record(
    partnerId: string,
    slot: number,
    outcome: { ok: boolean; at: number; detail?: string },
  ): Promise<number>;
  /** One partner's record. */
  get(partnerId: string): Promise<PollStatus | undefined>;
  /** Every partner's record. */
  list(): Promise<PollStatus[]>;
}

export interface PollStatus {
  partnerId: string;
  slot: number;
  consecutiveFailures: number;
  lastSuccessAt?: number;
  lastFailure?: { at: number; detail: string };
}

/** Reads what a health answer needs of one partner (one definition and one partition); undefined: no such partner. */
export type SnapshotSource = (partnerId: string) => Promise<PartnerSnapshot | undefined>;

/** Where poll jobs wait for a poll worker: one per partner due a poll. */
export type PollQueue = (partnerIds: readonly string[]) => Promise<void>;
