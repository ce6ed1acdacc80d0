import { describe, expect, it } from 'vitest';
import { checkNotice, newNoticeForm, noticeFieldOf } from './notice-input.ts';

describe('a new notice', () => {
  it('starts now and lasts two hours', () => {
    const now = Date.parse('2030-01-01T10:00:00Z');
    const form = newNoticeForm(now);
    const check = checkNotice({ ...form, content: ' Maintenance ' });
    expect(check).toEqual({
      ok: true,
      body: {
        content: 'Maintenance',
        begin: '2030-01-01T10:00:00.000Z',
        end: '2030-01-01T12:00:00.000Z',
        effective: true,
      },
    });
  });

  it('needs content, readable times and an end after the beginning', () => {
    const check = checkNotice({
      content: ' ',
      begin: '2030-01-01T10:00',
      end: '2030-01-01T09:00',
      effective: true,
    });
    expect(check).toEqual({
      ok: false,
      problems: { content: 'Say what is wrong.', end: 'Must be after the beginning.' },
    });
    const unreadable = checkNotice({ content: 'x', begin: '', end: 'later', effective: true });
    expect(!unreadable.ok && Object.keys(unreadable.problems)).toEqual(['begin', 'end']);
  });

  it('spans at most 366 days and says at most 1,000 characters', () => {
    const long = checkNotice({
      content: 'x'.repeat(1001),
      begin: '2030-01-01T10:00',
      end: '2031-06-01T10:00',
      effective: true,
    });
    expect(long).toEqual({
      ok: false,
      problems: { content: 'At most 1,000 characters.', end: 'At most 366 days after the beginning.' },
    });
  });
});

describe('the notice input a violation names', () => {
  it('is the member’s input', () => {
    expect(noticeFieldOf('/begin')).toBe('begin');
    expect(noticeFieldOf('/content')).toBe('content');
    expect(noticeFieldOf('/id')).toBeUndefined();
    expect(noticeFieldOf(undefined)).toBeUndefined();
  });
});
