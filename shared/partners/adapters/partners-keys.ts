import type { NoticeSource } from '../notice.ts';

/** Every key of the partners table, in one place (docs/data-model.md lists them). */

/** Every partner's definition sits in one partition (hundreds, written by operators), sorted by id. */
export const PARTNERS_PARTITION = 'PARTNERS';
export const partnerKey = (partnerId: string) => ({ pk: PARTNERS_PARTITION, sk: partnerId });

/**
 * A partner's notices and automatic health state share its partition, so that one query reads all a
 * health answer needs. Notices are kept apart by source (the seed's two keys, plus detection's own).
 */
export const partnerPartition = (partnerId: string) => `PARTNER#${partnerId}`;
export const noticeKey = (partnerId: string, source: NoticeSource, noticeId: string) => ({
  pk: partnerPartition(partnerId),
  sk: `NOTICE#${source}#${noticeId}`,
});
export const NOTICE_PREFIX = 'NOTICE#';
export const healthKey = (partnerId: string) => ({ pk: partnerPartition(partnerId), sk: 'HEALTH' });

/**
 * Calls to a partner's APIs: one item per (window, instance) with that instance's totals, in a partition
 * of their own (written often, read by time range); the window is named by its start in epoch ms.
 */
export const trafficKey = (partnerId: string, start: number, instanceId: string) => ({
  pk: `TRAFFIC#${partnerId}`,
  sk: `${windowSortKey(start)}#${instanceId}`,
});
export const trafficOf = (partnerId: string) => `TRAFFIC#${partnerId}`;
export const windowSortKey = (start: number) => String(start).padStart(15, '0');

/** A partner's transitions, newest last by time, kept for the console's history (TTL on `expiresAt`). */
export const transitionKey = (partnerId: string, at: number, eventId: string) => ({
  pk: transitionsOf(partnerId),
  sk: `${windowSortKey(at)}#${eventId}`,
});
export const transitionsOf = (partnerId: string) => `TRANSITIONS#${partnerId}`;

/** A claim good once (a push nonce, a poll slot), kept until it expires (TTL on `expiresAt`). */
export const onceKey = (key: string) => ({ pk: `ONCE#${key}`, sk: 'ONCE' });

/** The record-signing key, as KMS ciphertext. */
export const signingKeyKey = { pk: 'RECORD_SIGNING_KEY', sk: 'v1' } as const;

/** Each partner's polling record, all under one partition (the scheduler checks every one a run). */
export const POLL_LOG_PARTITION = 'POLLS';
export const pollLogKey = (partnerId: string) => ({ pk: POLL_LOG_PARTITION, sk: partnerId });
