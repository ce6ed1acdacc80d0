import { auditEntry } from '../console/audit.ts';
import type { ActionContext } from '../console/console-actions.ts';
import type { ConsoleStore } from '../console/ports.ts';
import { newId } from '../crypto/random.ts';
import { DomainError } from '../kernel/errors.ts';
import { parseIfMatch } from '../kernel/revision.ts';
import { bodyValidator } from '../kernel/validation.ts';
import {
  applyStatement,
  checkStatement,
  inForce,
  NOTICE_ID,
  type Notice,
  type NoticeSource,
} from './notice.ts';
import type { NoticeStore, PartnerStore } from './ports.ts';

interface NoticeBody {
  content: string;
  begin: string;
  end: string;
  effective?: boolean;
}

const readNoticeBody = bodyValidator<NoticeBody>({
  type: 'object',
  properties: {
    content: { type: 'string', maxLength: 1_000 },
    begin: { type: 'string', format: 'date-time' },
    end: { type: 'string', format: 'date-time' },
    effective: { type: 'boolean' },
  },
  required: ['content', 'begin', 'end'],
  additionalProperties: false,
});

const SOURCES: readonly NoticeSource[] = ['partner', 'admin', 'automatic'];

/** A notice as the console shows it: times in ISO 8601, and whether it is in force now. */
export function noticeView(notice: Notice, now: number, partnerNoticesOn: boolean) {
  return {
    ...notice,
    begin: new Date(notice.begin).toISOString(),
    end: new Date(notice.end).toISOString(),
    createdAt: new Date(notice.createdAt).toISOString(),
    updatedAt: new Date(notice.updatedAt).toISOString(),
    inForce: inForce(notice, now, { partnerNotices: partnerNoticesOn }),
  };
}

/**
 * Operators' notices (seed 003 goal 2: add, delete, change, query). Operators write `admin` notices;
 * they may also delete a partner's or an automatic one (seed: an operator may remove a partner's
 * unhealthy record), which stays deleted until its source states something new. Every write is over
 * the change count read (`If-Match`) and audited.
 */
export class NoticeActions {
  constructor(
    private readonly deps: {
      partners: Pick<PartnerStore, 'get'>;
      notices: NoticeStore;
      store: Pick<ConsoleStore, 'appendAudit'>;
    },
  ) {}

  async list(partnerId: string, now: number) {
    const partner = await this.partner(partnerId);
    return (await this.deps.notices.list(partnerId)).map((n) => noticeView(n, now, partner.partnerNoticesOn));
  }

  async get(partnerId: string, source: string, noticeId: string): Promise<Notice> {
    await this.partner(partnerId);
    const notice =
      SOURCES.includes(source as NoticeSource) && NOTICE_ID.test(noticeId)
        ? await this.deps.notices.get(partnerId, source as NoticeSource, noticeId)
        : undefined;
    if (!notice)
      throw new DomainError(
        'not-found',
        `No ${source.slice(0, 16)} notice ${noticeId.slice(0, 128)} for this partner.`,
      );
    return notice;
  }

  async create(ctx: ActionContext, partnerId: string, body: unknown): Promise<Notice> {
    await this.partner(partnerId);
    const statement = this.statement(newId('ntc'), body);
    const notice = applyStatement(undefined, statement, this.writer(ctx, partnerId))!;
    if (!(await this.deps.notices.save(notice, undefined)))
      throw new DomainError('conflict', 'The notice id is taken.');
    await this.audit(ctx, 'notice.create', notice, { after: notice });
    return notice;
  }

  /** Changes an operator notice; `If-Match: "<changeCount>"` makes it conditional. */
  async update(
    ctx: ActionContext,
    partnerId: string,
    noticeId: string,
    body: unknown,
    ifMatch: string | undefined,
  ) {
    const before = await this.get(partnerId, 'admin', noticeId);
    this.expect(before, ifMatch);
    const next = applyStatement(before, this.statement(noticeId, body), this.writer(ctx, partnerId));
    if (!next) return before;
    if (!(await this.deps.notices.save(next, before.changeCount))) throw this.changed(before);
    await this.audit(ctx, 'notice.update', next, { before, after: next });
    return next;
  }

  /** Deletes a notice of any source: it becomes invalid (and stays recorded), with who deleted it. */
  async delete(
    ctx: ActionContext,
    partnerId: string,
    source: string,
    noticeId: string,
    ifMatch: string | undefined,
  ) {
    const before = await this.get(partnerId, source, noticeId);
    this.expect(before, ifMatch);
    if (before.status === 'invalid' && before.clearedBy !== undefined) return before;
    const actor = ctx.actor.subject;
    const next: Notice = {
      ...before,
      status: 'invalid',
      clearedBy: actor,
      operatorId: actor,
      updatedAt: ctx.now.getTime(),
      changeCount: before.changeCount + 1,
    };
    if (!(await this.deps.notices.save(next, before.changeCount))) throw this.changed(before);
    await this.audit(ctx, 'notice.delete', next, { before, after: next });
    return next;
  }

  private statement(noticeId: string, body: unknown) {
    const input = readNoticeBody(body);
    const statement = {
      noticeId,
      content: input.content,
      begin: Date.parse(input.begin),
      end: Date.parse(input.end),
      effective: input.effective ?? true,
    };
    checkStatement(statement);
    return statement;
  }

  private writer(ctx: ActionContext, partnerId: string) {
    return {
      partnerId,
      source: 'admin' as const,
      operatorId: ctx.actor.subject,
      now: ctx.now.getTime(),
    };
  }

  private expect(notice: Notice, ifMatch: string | undefined): void {
    const expected = parseIfMatch(ifMatch);
    if (expected !== undefined && expected !== notice.changeCount) throw this.changed(notice);
  }

  private changed(notice: Notice) {
    return new DomainError(
      'conflict',
      `The notice changed: it is at change ${notice.changeCount} now; read it again.`,
    );
  }

  private async partner(partnerId: string) {
    const partner = await this.deps.partners.get(partnerId);
    if (!partner) throw new DomainError('not-found', `No partner has the id "${partnerId.slice(0, 64)}".`);
    return partner;
  }

  private audit(
    ctx: ActionContext,
    action: string,
    notice: Notice,
    change: { before?: unknown; after?: unknown },
  ) {
    return this.deps.store.appendAudit(
      auditEntry(
        ctx.actor,
        action,
        { type: 'notice', id: `${notice.partnerId}/${notice.source}/${notice.noticeId}` },
        change,
        ctx.now,
        ctx.requestId,
      ),
    );
  }
}
