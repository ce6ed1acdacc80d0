import { DomainError } from '../kernel/errors.ts';
import { checkStatement, type NoticeStatement } from './notice.ts';

/**
 * Where a partner's answer keeps what the seed protocol calls `code`, `msg` and `upgradeInfo` (and,
 * in each notice, `id`, `content`, `begin`, `end`, `effective`), and how it writes times. The default
 * is the seed protocol itself; a partner that answers differently gets its own mapping instead of its
 * own code (seed: 运营商接入服务 hides each partner's differences).
 */
export interface NoticeMapping {
  /** Dotted paths into the answer. */
  code: string;
  successCodes: readonly (string | number)[];
  message: string;
  list: string;
  /** Dotted paths into each notice of the list. */
  id: string;
  content: string;
  begin: string;
  end: string;
  effective: string;
  /** `seed`: `2020-7-2 00:00:00` in `utcOffset`. */
  timeFormat: 'seed' | 'iso8601' | 'epoch-seconds' | 'epoch-millis';
  utcOffset: string;
}

export const DEFAULT_NOTICE_MAPPING: NoticeMapping = {
  code: 'code',
  successCodes: [0, '0'],
  message: 'msg',
  list: 'upgradeInfo',
  id: 'id',
  content: 'content',
  begin: 'begin',
  end: 'end',
  effective: 'effective',
  timeFormat: 'seed',
  utcOffset: '+00:00',
};

const path = { type: 'string', pattern: '^[A-Za-z0-9_]{1,64}(\\.[A-Za-z0-9_]{1,64}){0,7}$' } as const;

export const noticeMappingSchema = {
  type: 'object',
  properties: {
    code: path,
    successCodes: {
      type: 'array',
      minItems: 1,
      maxItems: 10,
      items: { anyOf: [{ type: 'string', maxLength: 64 }, { type: 'integer' }] },
    },
    message: path,
    list: path,
    id: path,
    content: path,
    begin: path,
    end: path,
    effective: path,
    timeFormat: { enum: ['seed', 'iso8601', 'epoch-seconds', 'epoch-millis'] },
    utcOffset: { type: 'string', pattern: '^[+-](0\\d|1[0-4]):[0-5]\\d$' },
  },
  additionalProperties: false,
} as const;

const at = (value: unknown, dotted: string): unknown =>
  dotted
    .split('.')
    .reduce<unknown>(
      (node, key) =>
        node !== null && typeof node === 'object' && Object.hasOwn(node, key)
          ? (node as Record<string, unknown>)[key]
          : undefined,
      value,
    );

const SEED_TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2}):(\d{2})$/;

/** Epoch ms of a time as the mapping writes it, or NaN. */
export function readTime(value: unknown, mapping: Pick<NoticeMapping, 'timeFormat' | 'utcOffset'>): number {
  switch (mapping.timeFormat) {
    case 'epoch-seconds':
    case 'epoch-millis': {
      const n = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return Number.NaN;
      return mapping.timeFormat === 'epoch-seconds' ? n * 1000 : n;
    }
    case 'iso8601':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(value)
        ? Date.parse(value)
        : Number.NaN;
    case 'seed': {
      const parts = typeof value === 'string' ? SEED_TIME.exec(value) : null;
      if (!parts) return Number.NaN;
      const [, y, mo, d, h, mi, s] = parts.map(Number) as number[];
      const utc = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
      const check = new Date(utc);
      // Date.UTC rolls 2020-2-30 over into March: a date that does not exist is refused instead.
      if (check.getUTCMonth() !== mo! - 1 || check.getUTCDate() !== d! || h! > 23) return Number.NaN;
      const sign = mapping.utcOffset.startsWith('-') ? -1 : 1;
      const [oh, om] = mapping.utcOffset.slice(1).split(':').map(Number) as [number, number];
      return utc - sign * (oh * 60 + om) * 60_000;
    }
  }
}

const readEffective = (value: unknown): boolean | undefined => {
  if (value === true || value === 'true' || value === 1 || value === '1') return true;
  if (value === false || value === 'false' || value === 0 || value === '0') return false;
  return undefined;
};

export type NoticeAnswer =
  | { ok: true; statements: NoticeStatement[]; skipped: { index: number; reason: string }[] }
  | { ok: false; reason: 'refused' | 'malformed'; detail: string };

/**
 * Reads a poll answer (or a push body) into statements. An answer whose code is not a success, or
 * that has no notice list, is a failed poll; a notice that breaks the rules is skipped and reported,
 * and the others still count: one bad notice must not hide the rest.
 */
export function readNoticeAnswer(answer: unknown, mapping: NoticeMapping): NoticeAnswer {
  if (answer === null || typeof answer !== 'object') {
    return { ok: false, reason: 'malformed', detail: 'the answer is not a JSON object' };
  }
  const code = at(answer, mapping.code);
  if (!mapping.successCodes.some((c) => c === code)) {
    const message = at(answer, mapping.message);
    return {
      ok: false,
      reason: 'refused',
      detail: `code ${JSON.stringify(code)?.slice(0, 32)}${typeof message === 'string' ? `: ${message.slice(0, 200)}` : ''}`,
    };
  }
  const list = at(answer, mapping.list) ?? [];
  if (!Array.isArray(list))
    return { ok: false, reason: 'malformed', detail: `${mapping.list} is not a list` };
  const statements: NoticeStatement[] = [];
  const skipped: { index: number; reason: string }[] = [];
  list.slice(0, 1_000).forEach((item, index) => {
    try {
      statements.push(readStatement(item, mapping, `/${mapping.list}/${index}`));
    } catch (error) {
      skipped.push({
        index,
        reason: error instanceof DomainError ? (error.detail ?? error.code) : 'unreadable',
      });
    }
  });
  return { ok: true, statements, skipped };
}

export function readStatement(item: unknown, mapping: NoticeMapping, pointer = ''): NoticeStatement {
  const refuse = (field: string, message: string) =>
    new DomainError('validation-failed', `${field} ${message}.`, {
      errors: [{ pointer: `${pointer}/${field}`, message }],
    });
  const id = at(item, mapping.id);
  const content = at(item, mapping.content) ?? '';
  const effective = readEffective(at(item, mapping.effective));
  if (typeof id !== 'string' && typeof id !== 'number') throw refuse(mapping.id, 'is required');
  if (typeof content !== 'string') throw refuse(mapping.content, 'must be text');
  if (effective === undefined) throw refuse(mapping.effective, 'must be true or false');
  const begin = readTime(at(item, mapping.begin), mapping);
  const end = readTime(at(item, mapping.end), mapping);
  if (Number.isNaN(begin)) throw refuse(mapping.begin, `is not a time in the ${mapping.timeFormat} format`);
  if (Number.isNaN(end)) throw refuse(mapping.end, `is not a time in the ${mapping.timeFormat} format`);
  const statement = { noticeId: String(id), content, begin, end, effective };
  checkStatement(statement, pointer);
  return statement;
}
