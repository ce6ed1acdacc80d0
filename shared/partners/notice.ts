import { DomainError } from '../kernel/errors.ts';

/**
 * A notice (公告): the record that a partner is unhealthy from `begin` to `end` (seed 003 §6.1). Its
 * source is the seed's type — the partner itself, an operator, or automatic detection — and partner
 * notices and the others are kept apart (the seed's two keys) so that switching partner notices off
 * silences only those.
 */
export type NoticeSource = 'partner' | 'admin' | 'automatic';
export type NoticeStatus = 'effective' | 'invalid';

export interface Notice {
  partnerId: string;
  /** The partner's own id for its notices (the upsert key), ours for the others. */
  noticeId: string;
  source: NoticeSource;
  content: string;
  /** Epoch ms; the notice is in force inside [begin, end). */
  begin: number;
  end: number;
  /** `invalid`: cancelled (a partner sends `effective=false`), ended, or deleted by an operator. */
  status: NoticeStatus;
  createdAt: number;
  updatedAt: number;
  /** Who made the last change: a user id, `partner:<id>` or `system`. */
  operatorId: string;
  /** Changes after creation. */
  changeCount: number;
  /**
   * The operator who deleted it (seed: operators may delete a partner's notice): it stays `invalid`
   * while the partner repeats the same notice, and counts again once the partner changes it.
   */
  clearedBy?: string;
}

/** What a partner or an operator states about one notice. */
export interface NoticeStatement {
  noticeId: string;
  content: string;
  begin: number;
  end: number;
  effective: boolean;
}

export const NOTICE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const MAX_CONTENT_LENGTH = 1_000;
/** A notice may span at most a year: a partner's typo should not silence it for a decade. */
const MAX_SPAN_MS = 366 * 24 * 3600_000;

/** The statement's own rules; refusals name the field, for a 400 that says what to fix. */
export function checkStatement(statement: NoticeStatement, pointer = ''): void {
  const refuse = (field: string, message: string) => {
    throw new DomainError('validation-failed', `${field} ${message}.`, {
      errors: [{ pointer: `${pointer}/${field}`, message }],
    });
  };
  if (!NOTICE_ID.test(statement.noticeId)) refuse('id', 'must be 1 to 128 letters, digits, . _ : -');
  if (statement.content.length > MAX_CONTENT_LENGTH)
    refuse('content', `must be at most ${MAX_CONTENT_LENGTH} characters`);
  if (!Number.isFinite(statement.begin) || !Number.isFinite(statement.end))
    refuse('begin', 'and end must be times');
  if (statement.begin >= statement.end) refuse('end', 'must be after begin');
  if (statement.end - statement.begin > MAX_SPAN_MS) refuse('end', 'must be at most 366 days after begin');
}

/**
 * The notice after a statement: a new one, or the stored one changed (its change count up by one).
 * `undefined` when the statement changes nothing, so that a poll repeating the same answer writes
 * nothing. A notice's source never changes.
 */
export function applyStatement(
  stored: Notice | undefined,
  statement: NoticeStatement,
  context: { partnerId: string; source: NoticeSource; operatorId: string; now: number },
): Notice | undefined {
  const status: NoticeStatus = statement.effective ? 'effective' : 'invalid';
  if (!stored) {
    return {
      partnerId: context.partnerId,
      noticeId: statement.noticeId,
      source: context.source,
      content: statement.content,
      begin: statement.begin,
      end: statement.end,
      status,
      createdAt: context.now,
      updatedAt: context.now,
      operatorId: context.operatorId,
      changeCount: 0,
    };
  }
  const sameNotice =
    stored.content === statement.content && stored.begin === statement.begin && stored.end === statement.end;
  if (sameNotice && (stored.status === status || stored.clearedBy !== undefined)) return undefined;
  const { clearedBy: _lifted, ...rest } = stored;
  return {
    ...rest,
    content: statement.content,
    begin: statement.begin,
    end: statement.end,
    status,
    updatedAt: context.now,
    operatorId: context.operatorId,
    changeCount: stored.changeCount + 1,
  };
}

/** Whether partner-sourced notices count (seed: 公告开关); operator and automatic ones always do. */
export interface NoticeSwitches {
  partnerNotices: boolean;
}

export function inForce(notice: Notice, now: number, switches: NoticeSwitches): boolean {
  if (notice.status !== 'effective') return false;
  if (notice.source === 'partner' && !switches.partnerNotices) return false;
  return notice.begin <= now && now < notice.end;
}
