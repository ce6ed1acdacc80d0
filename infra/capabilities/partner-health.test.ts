import { describe, expect, it } from 'vitest';
import {
  HEALTH_ROUTES,
  PARTNER_CONSOLE_ROUTES,
  PARTNER_PUSH_ROUTE,
} from '../../functions/partners/routes.ts';
import { synthCapability } from './capability-fixture.ts';
import { PartnerHealth } from './partner-health.ts';

const CONSOLE = 'functions/partners/console.ts';
const PUSH = 'functions/partners/push.ts';
const HEALTH = 'functions/partners/health.ts';
const SCHEDULE_POLLS = 'functions/partners/schedule-polls.ts';
const POLL = 'functions/partners/poll.ts';
const EVALUATE = 'functions/partners/evaluate.ts';

const { resources, functions, routes, schedules, mappings, reaches, mayRun, template } = synthCapability(
  (scope, props) => new PartnerHealth(scope, 'Partners', props),
);

describe('PartnerHealth', () => {
  it('owns the console, push, health, poll scheduler, poll and evaluation functions, each behind its routes', () => {
    expect(Object.keys(functions).sort()).toEqual(
      [CONSOLE, EVALUATE, HEALTH, POLL, SCHEDULE_POLLS, PUSH].sort(),
    );
    expect(routes).toEqual({
      ...Object.fromEntries(Object.keys(PARTNER_CONSOLE_ROUTES).map((key) => [key, CONSOLE])),
      [PARTNER_PUSH_ROUTE]: PUSH,
      ...Object.fromEntries(HEALTH_ROUTES.map((key) => [key, HEALTH])),
    });
  });

  it('schedules polls and evaluation every minute, superseded after a minute, into the shared dead-letter queue', () => {
    const every = (target: string) => ({
      expression: 'rate(1 minute)',
      target,
      retryPolicy: { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 2 },
      deadLetterQueue: 'ScheduleDlq',
    });
    expect(schedules).toEqual(expect.arrayContaining([every(SCHEDULE_POLLS), every(EVALUATE)]));
    expect(schedules).toHaveLength(2);
  });

  it('feeds the poll worker from the poll queue with partial batch responses', () => {
    expect(mappings).toEqual([
      expect.objectContaining({
        FunctionName: POLL,
        EventSourceArn: 'PartnerPollQueue',
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    ]);
    expect(resources[functions[POLL]!].Properties.Timeout).toBe(30);
  });

  it('keeps secrets one-way: only the console encrypts them, only push and poll decrypt them, nobody reads the messages API', () => {
    expect(mayRun(CONSOLE, 'kms:Encrypt', 'PlatformKey')).toBe(true);
    for (const fn of [PUSH, POLL, HEALTH, EVALUATE, SCHEDULE_POLLS])
      expect(mayRun(fn, 'kms:Encrypt', 'PlatformKey'), fn).toBe(false);
    expect(reaches(SCHEDULE_POLLS)).toEqual(['PartnerPollQueue', 'PartnersTable']);
    expect(reaches(PUSH)).toEqual(['PartnersTable', 'PlatformKey']);
    expect(reaches(HEALTH)).toEqual(['IdentityTable', 'PartnersTable', 'PlatformKey']);
    expect(reaches(EVALUATE)).toEqual([
      'DeliveryQueue',
      'MessagesTable',
      'MessagesTable/index/gsi2',
      'PartnersTable',
      'PlatformKey',
    ]);
  });

  it('alarms on stuck polling, polling failing for all, the panic guard and forged records', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties.MetricName,
    );
    expect(alarms.sort()).toEqual(
      [
        'PartnerHealthPanic',
        'PartnerPollingAllFailing',
        'PartnerRecordForgeries',
        'PartnersPollingStuck',
      ].sort(),
    );
  });
});
