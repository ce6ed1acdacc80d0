import { InvalidCursorError, type Page, type PageRequest } from '../../kernel/page.ts';
import { RevisionConflictError } from '../../kernel/revision.ts';
import type { Notice, NoticeSource } from '../notice.ts';
import type {
  HealthStateStore,
  NoticeStore,
  OnceStore,
  PartnerStore,
  PartnerTransition,
  PartnerWatch,
  PollLog,
  PollStatus,
  StoredPartner,
  TrafficStore,
  TrafficWindow,
  TransitionLog,
} from '../ports.ts';

const copy = <T>(value: T): T => structuredClone(value);

export class MemoryPartnerStore implements PartnerStore {
  readonly partners = new Map<string, StoredPartner>();

  async get(partnerId: string) {
    const found = this.partners.get(partnerId);
    return found && copy(found);
  }

  async list() {
    return [...this.partners.values()].sort((a, b) => (a.partnerId < b.partnerId ? -1 : 1)).map(copy);
  }

  async put(partner: Omit<StoredPartner, 'revision'>, expectedRevision?: number) {
    const seen = this.partners.get(partner.partnerId)?.revision ?? 0;
    if (expectedRevision !== undefined && seen !== expectedRevision) {
      throw new RevisionConflictError(`revision is ${seen}, not ${expectedRevision}`);
    }
    const next = { ...copy(partner), revision: seen + 1 };
    this.partners.set(partner.partnerId, next);
    return copy(next);
  }

  async delete(partnerId: string) {
    return this.partners.delete(partnerId);
  }
}

export class MemoryNoticeStore implements NoticeStore {
  readonly notices = new Map<string, Notice>();
  private readonly key = (partnerId: string, source: NoticeSource, noticeId: string) =>
    `${partnerId}\u0000${source}\u0000${noticeId}`;

  async get(partnerId: string, source: NoticeSource, noticeId: string) {
    const found = this.notices.get(this.key(partnerId, source, noticeId));
    return found && copy(found);
  }

  async list(partnerId: string) {
    return [...this.notices.values()]
      .filter((n) => n.partnerId === partnerId)
      .sort((a, b) =>
        a.source === b.source ? (a.noticeId < b.noticeId ? -1 : 1) : a.source < b.source ? -1 : 1,
      )
      .map(copy);
  }

  async save(notice: Notice, expectedChangeCount: number | undefined) {
    const key = this.key(notice.partnerId, notice.source, notice.noticeId);
    if (this.notices.get(key)?.changeCount !== expectedChangeCount) return false;
    this.notices.set(key, copy(notice));
    return true;
  }
}

export class MemoryHealthStateStore implements HealthStateStore {
  readonly states = new Map<string, { watch: PartnerWatch; version: number }>();

  async get(partnerId: string) {
    const found = this.states.get(partnerId);
    return found && copy(found);
  }

  async save(partnerId: string, watch: PartnerWatch, expectedVersion: number) {
    if ((this.states.get(partnerId)?.version ?? 0) !== expectedVersion) return false;
    this.states.set(partnerId, { watch: copy(watch), version: expectedVersion + 1 });
    return true;
  }
}

export class MemoryOnceStore implements OnceStore {
  private readonly claims = new Map<string, number>();

  constructor(private readonly clock: () => number = Date.now) {}

  async claim(key: string, expiresAt: number) {
    const held = this.claims.get(key);
    if (held !== undefined && held > this.clock()) return false;
    this.claims.set(key, expiresAt);
    return true;
  }
}

export class MemoryTrafficStore implements TrafficStore {
  private readonly totals = new Map<string, TrafficWindow>();

  async put(partnerId: string, instanceId: string, totals: TrafficWindow) {
    this.totals.set(`${partnerId}\u0000${totals.start}\u0000${instanceId}`, copy(totals));
  }

  async read(partnerId: string, from: number, to: number) {
    const windows = new Map<number, TrafficWindow>();
    for (const [key, t] of this.totals) {
      if (!key.startsWith(`${partnerId}\u0000`) || t.start < from || t.start > to) continue;
      const sum = windows.get(t.start) ?? { start: t.start, calls: 0, succeeded: 0, slow: 0 };
      sum.calls += t.calls;
      sum.succeeded += t.succeeded;
      sum.slow += t.slow;
      windows.set(t.start, sum);
    }
    return [...windows.values()].sort((a, b) => a.start - b.start);
  }
}

export class MemoryPollLog implements PollLog {
  readonly statuses = new Map<string, PollStatus>();

  async record(partnerId: string, slot: number, outcome: { ok: boolean; at: number; detail?: string }) {
    const current = this.statuses.get(partnerId);
    if (current && current.slot >= slot) return current.consecutiveFailures;
    const next: PollStatus = outcome.ok
      ? { ...current, partnerId, slot, consecutiveFailures: 0, lastSuccessAt: outcome.at }
      : {
          ...current,
          partnerId,
          slot,
          consecutiveFailures: (current?.consecutiveFailures ?? 0) + 1,
          lastFailure: { at: outcome.at, detail: outcome.detail ?? '' },
        };
    this.statuses.set(partnerId, next);
    return next.consecutiveFailures;
  }

  async get(partnerId: string) {
    const found = this.statuses.get(partnerId);
    return found ? copy(found) : undefined;
  }

  async list() {
    return [...this.statuses.values()].sort((a, b) => (a.partnerId < b.partnerId ? -1 : 1)).map(copy);
  }
}

export class MemoryTransitionLog implements TransitionLog {
  readonly kept = new Map<string, PartnerTransition>();

  async append(transitions: readonly PartnerTransition[]) {
    for (const t of transitions) this.kept.set(t.eventId, copy(t));
  }

  async list(partnerId: string, { limit, cursor }: PageRequest): Promise<Page<PartnerTransition>> {
    const all = [...this.kept.values()]
      .filter((t) => t.partnerId === partnerId)
      .sort((a, b) => b.at - a.at || (a.eventId < b.eventId ? 1 : -1));
    const from = cursor === undefined ? 0 : Number(cursor);
    if (!Number.isInteger(from) || from < 0) throw new InvalidCursorError('malformed cursor');
    const items = all.slice(from, from + limit).map(copy);
    return { items, ...(from + limit < all.length ? { next: String(from + limit) } : {}) };
  }
}
