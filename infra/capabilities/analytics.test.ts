import { describe, expect, it } from 'vitest';
import {
  ANALYTICS_APP_ROUTES,
  ANALYTICS_CONSOLE_ROUTES,
  LOG_ROUTES,
  PROVIDER_REPORT_ROUTE,
  TRACE_CONSOLE_ROUTES,
} from '../../functions/analytics/routes.ts';
import { Analytics } from './analytics.ts';
import { synthCapability } from './capability-fixture.ts';

const AGGREGATE = 'functions/analytics/aggregate.ts';
const API = 'functions/analytics/api.ts';
const LOGS = 'functions/analytics/logs.ts';
const TRACES = 'functions/analytics/traces.ts';
const { functions, routes, schedules, mappings, reaches, mayRun } = synthCapability(
  (scope, props) => new Analytics(scope, 'Analytics', props),
);

describe('Analytics', () => {
  it('owns the aggregate function (no route), the usage API and the log search behind their routes, no schedule', () => {
    expect(Object.keys(functions).sort()).toEqual([AGGREGATE, API, LOGS, TRACES]);
    expect(routes).toEqual({
      ...Object.fromEntries(
        [...Object.keys(ANALYTICS_CONSOLE_ROUTES), ...ANALYTICS_APP_ROUTES].map((key) => [key, API]),
      ),
      ...Object.fromEntries(Object.keys(LOG_ROUTES).map((key) => [key, LOGS])),
      ...Object.fromEntries(
        [...Object.keys(TRACE_CONSOLE_ROUTES), PROVIDER_REPORT_ROUTE].map((key) => [key, TRACES]),
      ),
    });
    expect(schedules).toEqual([]);
  });

  it('feeds it from the analytics stream: TRIM_HORIZON, batches of up to 2,000 records or 10 s, bisect on error, one reader per shard, retried while the stream keeps the records, on-failure queue', () => {
    expect(mappings).toEqual([
      expect.objectContaining({
        FunctionName: AGGREGATE,
        EventSourceArn: 'AnalyticsStream',
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 2_000,
        MaximumBatchingWindowInSeconds: 10,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 10_000,
        MaximumRecordAgeInSeconds: 86_400,
        ParallelizationFactor: 1,
        OnFailure: 'AnalyticsFailuresDlq',
      }),
    ]);
  });

  it('lets the usage API read aggregates and subscriptions, never write them', () => {
    expect(mayRun(API, 'dynamodb:Query', 'AnalyticsTable')).toBe(true);
    expect(mayRun(API, 'dynamodb:PutItem', 'AnalyticsTable')).toBe(false);
    expect(mayRun(API, 'dynamodb:GetItem', 'MessagesTable')).toBe(true);
    expect(mayRun(API, 'dynamodb:PutItem', 'MessagesTable')).toBe(false);
  });

  it('grants the analytics table, the stream, the failure queue (and its key) only', () => {
    expect(reaches(AGGREGATE)).toEqual([
      'AnalyticsFailuresDlq',
      'AnalyticsStream',
      'AnalyticsTable',
      'PlatformKey',
    ]);
    expect(mayRun(AGGREGATE, 'dynamodb:BatchGetItem', 'AnalyticsTable')).toBe(true);
    expect(mayRun(AGGREGATE, 'dynamodb:PutItem', 'AnalyticsTable')).toBe(true);
    expect(mayRun(AGGREGATE, 'dynamodb:UpdateItem', 'AnalyticsTable')).toBe(false);
    expect(mayRun(AGGREGATE, 'dynamodb:DeleteItem', 'AnalyticsTable')).toBe(false);
  });
});
