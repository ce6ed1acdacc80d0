import { describe, expect, it } from 'vitest';
import { parseScheduleExpression } from './schedule-expression.ts';

const from = new Date('2026-11-23T17:42:30Z');

describe('schedule expressions', () => {
  it('rate', () => {
    expect(parseScheduleExpression('rate(5 minutes)')(from)?.toISOString()).toBe('2026-11-23T17:47:30.000Z');
    expect(parseScheduleExpression('rate(1 day)')(from)?.toISOString()).toBe('2026-11-24T17:42:30.000Z');
  });

  it('cron with steps, ranges, names and ?', () => {
    expect(parseScheduleExpression('cron(0/15 * * * ? *)')(from)?.toISOString()).toBe(
      '2026-11-23T17:45:00.000Z',
    );
    expect(parseScheduleExpression('cron(0 9 ? * MON-FRI *)')(from)?.toISOString()).toBe(
      '2026-11-24T09:00:00.000Z',
    );
    expect(parseScheduleExpression('cron(30 2 1 JAN ? 2027)')(from)?.toISOString()).toBe(
      '2027-01-01T02:30:00.000Z',
    );
  });

  it('at fires once', () => {
    const next = parseScheduleExpression('at(2026-12-01T00:00:00)');
    expect(next(from)?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(next(new Date('2027-01-01'))).toBeUndefined();
  });

  it.each([
    'rate(0 minutes)',
    'rate(1 week)',
    'cron(* * * *)',
    'cron(0 0 L * ? *)',
    'cron(61 * * * ? *)',
    'every day',
  ])('refuses %s', (expression) => expect(() => parseScheduleExpression(expression)).toThrow());
});
