import { describe, expect, it } from 'vitest';
import { DomainError } from '../kernel/errors.ts';
import { applyStatement, checkStatement, inForce, type Notice, type NoticeStatement } from './notice.ts';

const HOUR = 3_600_000;
const statement: NoticeStatement = {
  noticeId: 'UC-051-20200702-96038',
  content: '系统故障',
  begin: 10 * HOUR,
  end: 34 * HOUR,
  effective: true,
};
const context = {
  partnerId: 'gddianxin',
  source: 'partner' as const,
  operatorId: 'partner:gddianxin',
  now: 5 * HOUR,
};

describe('notices', () => {
  it('creates a notice from a first statement, with no changes counted', () => {
    expect(applyStatement(undefined, statement, context)).toEqual({
      partnerId: 'gddianxin',
      noticeId: 'UC-051-20200702-96038',
      source: 'partner',
      content: '系统故障',
      begin: 10 * HOUR,
      end: 34 * HOUR,
      status: 'effective',
      createdAt: 5 * HOUR,
      updatedAt: 5 * HOUR,
      operatorId: 'partner:gddianxin',
      changeCount: 0,
    } satisfies Notice);
  });

  it('writes nothing for a repeated statement, and counts a change', () => {
    const stored = applyStatement(undefined, statement, context)!;
    expect(applyStatement(stored, statement, { ...context, now: 6 * HOUR })).toBeUndefined();
    const cancelled = applyStatement(
      stored,
      { ...statement, effective: false },
      { ...context, now: 6 * HOUR },
    );
    expect(cancelled).toMatchObject({
      status: 'invalid',
      changeCount: 1,
      updatedAt: 6 * HOUR,
      createdAt: 5 * HOUR,
    });
    expect(applyStatement(cancelled, { ...statement, effective: false }, context)).toBeUndefined();
  });

  it('is in force inside [begin, end) only, while effective, and partner ones only while switched on', () => {
    const notice = applyStatement(undefined, statement, context)!;
    const on = { partnerNotices: true };
    expect([9, 10, 33, 34].map((h) => inForce(notice, h * HOUR, on))).toEqual([false, true, true, false]);
    expect(inForce(notice, 20 * HOUR, { partnerNotices: false })).toBe(false);
    const admin = { ...notice, source: 'admin' as const };
    expect(inForce(admin, 20 * HOUR, { partnerNotices: false })).toBe(true);
    expect(inForce({ ...notice, status: 'invalid' }, 20 * HOUR, on)).toBe(false);
  });

  it.each([
    ['begin ≥ end', { begin: 34 * HOUR }, '/end'],
    ['an id with a slash', { noticeId: 'a/b' }, '/id'],
    ['content over 1000 characters', { content: 'x'.repeat(1001) }, '/content'],
    ['a span over a year', { end: 10 * HOUR + 367 * 24 * HOUR }, '/end'],
    ['a time that is not a number', { begin: Number.NaN }, '/begin'],
  ])('refuses %s, naming the field', (_name, change, pointer) => {
    try {
      checkStatement({ ...statement, ...change }, '/notices/0');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).details).toMatchObject({ errors: [{ pointer: `/notices/0${pointer}` }] });
    }
  });
});

describe('a notice an operator deleted', () => {
  const stored = {
    ...applyStatement(undefined, statement, context)!,
    status: 'invalid' as const,
    clearedBy: 'user_ops',
    changeCount: 1,
  };

  it('stays deleted while the partner repeats it', () => {
    expect(applyStatement(stored, statement, context)).toBeUndefined();
    expect(applyStatement(stored, { ...statement, effective: false }, context)).toBeUndefined();
  });

  it('counts again once the partner changes it', () => {
    const changed = applyStatement(stored, { ...statement, end: statement.end + HOUR }, context);
    expect(changed).toMatchObject({ status: 'effective', changeCount: 2 });
    expect(changed).not.toHaveProperty('clearedBy');
  });
});
