import { applyStatement, type Notice, type NoticeSource, type NoticeStatement } from './notice.ts';
import type { NoticeStore } from './ports.ts';

export interface RecordedStatements {
  created: string[];
  changed: string[];
  unchanged: string[];
}

/**
 * Upserts statements about a partner's notices by their ids: a new id creates a notice, a changed one
 * counts a change, a repeated one writes nothing. Each write is over the change count read, so two
 * writers never lose each other's change (the loser reads again).
 */
export async function recordStatements(
  notices: NoticeStore,
  statements: readonly NoticeStatement[],
  context: { partnerId: string; source: NoticeSource; operatorId: string; now: number },
): Promise<RecordedStatements> {
  const result: RecordedStatements = { created: [], changed: [], unchanged: [] };
  for (const statement of statements) {
    const outcome = await recordOne(notices, statement, context);
    result[outcome].push(statement.noticeId);
  }
  return result;
}

async function recordOne(
  notices: NoticeStore,
  statement: NoticeStatement,
  context: { partnerId: string; source: NoticeSource; operatorId: string; now: number },
): Promise<keyof RecordedStatements> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const stored: Notice | undefined = await notices.get(
      context.partnerId,
      context.source,
      statement.noticeId,
    );
    const next = applyStatement(stored, statement, context);
    if (!next) return 'unchanged';
    if (await notices.save(next, stored?.changeCount)) return stored ? 'changed' : 'created';
  }
  throw new Error(`notice ${statement.noticeId} kept changing under five writes in a row`);
}
