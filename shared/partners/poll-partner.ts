import type { SecretCipher } from '../identity/ports.ts';
import { readNoticeAnswer } from './notice-answer.ts';
import { partnerKeys } from './partner-secrets.ts';
import { decryptBody, withSignature } from './partner-signature.ts';
import type { NoticeFetcher, NoticeStore, OnceStore, PollLog, StoredPartner } from './ports.ts';
import { type RecordedStatements, recordStatements } from './record-statements.ts';

export interface PollDeps {
  notices: NoticeStore;
  once: OnceStore;
  log: PollLog;
  cipher: SecretCipher;
  fetch: NoticeFetcher;
}

export type PollOutcome =
  | { result: 'polled'; recorded: RecordedStatements; skipped: { index: number; reason: string }[] }
  | { result: 'failed'; detail: string; consecutiveFailures: number }
  | { result: 'taken' | 'no-feed' };

const POLL_TIMEOUT_MS = 5_000;

/** The interval a time falls in: polls of a partner are keyed by it, so each interval polls once. */
export const pollSlot = (partner: Pick<StoredPartner, 'notices'>, now: number): number =>
  Math.floor(now / ((partner.notices?.pollIntervalSeconds ?? 60) * 1000));

/**
 * One poll of a partner's notice endpoint with the seed protocol (§6.3): a signed request carrying the
 * time and Portico's id at the partner; an answer with `code`, `msg` and the notice list (read through
 * the partner's mapping, opened with its AES key if it has one). The interval's slot is claimed first,
 * so however many pollers run, each partner is polled once per interval. Notices are upserted by the
 * partner's id; one missing from the answer is left as it is (only `effective=false` cancels).
 */
export async function pollPartner(deps: PollDeps, partner: StoredPartner, now: number): Promise<PollOutcome> {
  const feed = partner.notices;
  if (!feed) return { result: 'no-feed' };
  const slot = pollSlot(partner, now);
  const intervalMs = feed.pollIntervalSeconds * 1000;
  if (!(await deps.once.claim(`poll:${partner.partnerId}:${slot}`, (slot + 1) * intervalMs)))
    return { result: 'taken' };

  const failed = async (detail: string): Promise<PollOutcome> => ({
    result: 'failed',
    detail,
    consecutiveFailures: await deps.log.record(partner.partnerId, slot, { ok: false, at: now, detail }),
  });
  const keys = await partnerKeys(deps.cipher, partner);
  if (!keys.sharedSecret) return failed('no shared secret is configured');
  const answer = await deps.fetch({
    url: feed.url,
    body: withSignature({ appId: feed.ourId }, keys.sharedSecret, now),
    timeoutMs: POLL_TIMEOUT_MS,
  });
  if (!answer.ok) return failed(`${answer.reason}: ${answer.detail}`);
  let body = answer.body;
  if (keys.aesKey) {
    const sealed = (body as { encrypted?: unknown } | null)?.encrypted;
    const plaintext = typeof sealed === 'string' ? decryptBody(sealed, keys.aesKey) : undefined;
    if (plaintext === undefined) return failed('the answer is not sealed with the partner key');
    try {
      body = JSON.parse(plaintext);
    } catch {
      return failed('the opened answer is not JSON');
    }
  }
  const read = readNoticeAnswer(body, feed.mapping);
  if (!read.ok) return failed(`${read.reason}: ${read.detail}`);
  const recorded = await recordStatements(deps.notices, read.statements, {
    partnerId: partner.partnerId,
    source: 'partner',
    operatorId: `partner:${partner.partnerId}`,
    now,
  });
  await deps.log.record(partner.partnerId, slot, { ok: true, at: now });
  return { result: 'polled', recorded, skipped: read.skipped };
}

/** The partners whose polling has failed `threshold` intervals in a row, and whether every one fails. */
export function pollingAlarms(
  statuses: readonly { partnerId: string; consecutiveFailures: number }[],
  threshold: number,
): { stuck: string[]; allFailing: boolean } {
  const stuck = statuses.filter((s) => s.consecutiveFailures >= threshold).map((s) => s.partnerId);
  return { stuck, allFailing: statuses.length > 0 && statuses.every((s) => s.consecutiveFailures > 0) };
}

/**
 * The partners whose poll interval begins within the minute before `now`: the scheduler runs every
 * minute and queues one job for each (the job's slot claim keeps it to one poll per interval even if
 * the scheduler runs twice).
 */
export function partnersDue(partners: readonly StoredPartner[], now: number, everyMs = 60_000): string[] {
  return partners
    .filter((p) => p.notices !== undefined && pollSlot(p, now) !== pollSlot(p, now - everyMs))
    .map((p) => p.partnerId);
}
