import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NOTICE_MAPPING, type NoticeMapping, readNoticeAnswer, readTime } from './notice-answer.ts';

/** The seed's example answer (§6.3), decrypted. */
const SEED_ANSWER = {
  code: 0,
  msg: '同步成功',
  upgradeInfo: [
    {
      id: 'UC-051-20200702-96038',
      content: '系统故障',
      begin: '2020-7-2 00:00:00',
      end: '2020-7-3 00:00:00',
      effective: true,
    },
    {
      id: 'UC-051-20200703-96000',
      content: '系统升级',
      begin: '2020-7-3 00:00:00',
      end: '2020-7-4 00:00:00',
      effective: 'false',
    },
  ],
};

describe("reading a partner's notice answer", () => {
  it("reads the seed's example with the seed mapping", () => {
    const answer = readNoticeAnswer(SEED_ANSWER, { ...DEFAULT_NOTICE_MAPPING, utcOffset: '+08:00' });
    expect(answer).toEqual({
      ok: true,
      statements: [
        {
          noticeId: 'UC-051-20200702-96038',
          content: '系统故障',
          begin: Date.parse('2020-07-01T16:00:00Z'),
          end: Date.parse('2020-07-02T16:00:00Z'),
          effective: true,
        },
        {
          noticeId: 'UC-051-20200703-96000',
          content: '系统升级',
          begin: Date.parse('2020-07-02T16:00:00Z'),
          end: Date.parse('2020-07-03T16:00:00Z'),
          effective: false,
        },
      ],
      skipped: [],
    });
  });

  it('reads a partner that answers differently through its mapping', () => {
    const mapping: NoticeMapping = {
      ...DEFAULT_NOTICE_MAPPING,
      code: 'status.code',
      successCodes: ['OK'],
      message: 'status.text',
      list: 'data.maintenance',
      id: 'ref',
      content: 'text',
      begin: 'window.from',
      end: 'window.to',
      effective: 'active',
      timeFormat: 'epoch-seconds',
    };
    const answer = readNoticeAnswer(
      {
        status: { code: 'OK' },
        data: {
          maintenance: [
            { ref: 42, text: 'db upgrade', window: { from: 1_600_000_000, to: '1600003600' }, active: 1 },
          ],
        },
      },
      mapping,
    );
    expect(answer).toMatchObject({
      ok: true,
      statements: [
        {
          noticeId: '42',
          content: 'db upgrade',
          begin: 1_600_000_000_000,
          end: 1_600_003_600_000,
          effective: true,
        },
      ],
    });
    expect(readNoticeAnswer({ status: { code: 'BUSY', text: 'try later' } }, mapping)).toEqual({
      ok: false,
      reason: 'refused',
      detail: 'code "BUSY": try later',
    });
  });

  it('skips a notice that breaks the rules and keeps the others', () => {
    const answer = readNoticeAnswer(
      {
        code: 0,
        upgradeInfo: [
          SEED_ANSWER.upgradeInfo[0],
          { ...SEED_ANSWER.upgradeInfo[0], id: 'x', begin: '2020-7-3 00:00:00' },
          { ...SEED_ANSWER.upgradeInfo[0], id: 'y', effective: 'maybe' },
          { ...SEED_ANSWER.upgradeInfo[0], id: 'z', begin: '2020-2-30 00:00:00' },
          'not an object',
        ],
      },
      DEFAULT_NOTICE_MAPPING,
    );
    expect(answer.ok && answer.statements.map((s) => s.noticeId)).toEqual(['UC-051-20200702-96038']);
    expect(answer.ok && answer.skipped.map((s) => s.index)).toEqual([1, 2, 3, 4]);
  });

  it.each([
    [null, 'malformed'],
    ['text', 'malformed'],
    [{ code: 1, msg: 'failed' }, 'refused'],
    [{ code: 0, upgradeInfo: { id: 1 } }, 'malformed'],
  ])('fails the poll on %j', (body, reason) => {
    expect(readNoticeAnswer(body, DEFAULT_NOTICE_MAPPING)).toMatchObject({ ok: false, reason });
  });

  it('takes a success with no list as no notices', () => {
    expect(readNoticeAnswer({ code: '0' }, DEFAULT_NOTICE_MAPPING)).toEqual({
      ok: true,
      statements: [],
      skipped: [],
    });
  });

  it('never throws and never follows the prototype, whatever the answer', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const answer = readNoticeAnswer(body, { ...DEFAULT_NOTICE_MAPPING, code: 'constructor.name' });
        expect(answer.ok).toBe(false);
        readNoticeAnswer(body, DEFAULT_NOTICE_MAPPING);
      }),
    );
  });

  it('reads times in each format and refuses what is not one', () => {
    const utc = { timeFormat: 'seed', utcOffset: '+00:00' } as const;
    expect(readTime('2020-7-2 00:00:00', utc)).toBe(Date.parse('2020-07-02T00:00:00Z'));
    expect(readTime('2020-07-02T08:00:00', { ...utc, utcOffset: '+08:00' })).toBe(
      Date.parse('2020-07-02T00:00:00Z'),
    );
    expect(readTime('2020-7-2 00:00:00', { ...utc, utcOffset: '-05:30' })).toBe(
      Date.parse('2020-07-02T05:30:00Z'),
    );
    expect(readTime('2020-7-2 24:00:00', utc)).toBeNaN();
    expect(readTime('2020-13-1 00:00:00', utc)).toBeNaN();
    expect(readTime('2020-07-02T00:00:00Z', { ...utc, timeFormat: 'iso8601' })).toBe(
      Date.parse('2020-07-02T00:00:00Z'),
    );
    expect(readTime('2020-07-02', { ...utc, timeFormat: 'iso8601' })).toBeNaN();
    expect(readTime(1.5, { ...utc, timeFormat: 'epoch-millis' })).toBeNaN();
    expect(readTime(-1, { ...utc, timeFormat: 'epoch-seconds' })).toBeNaN();
  });
});
