import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { MESSAGES_API_ROUTES, PUBLISH_ROUTE } from '../../functions/messages/routes.ts';
import { synthCapability } from './capability-fixture.ts';
import { Messages } from './messages.ts';

const INGEST = 'functions/messages/ingest.ts';
const DELIVER = 'functions/messages/deliver.ts';
const API = 'functions/messages/api.ts';
const PUBLISH = 'functions/messages/publish.ts';
const REDRIVE = 'functions/messages/redrive.ts';
const { resources, functions, routes, schedules, mappings, reaches, mayRun, data } = synthCapability(
  (scope, props) => new Messages(scope, 'Messages', props),
);

describe('Messages', () => {
  it('owns the ingest, delivery, developer API and publish functions, each behind its routes', () => {
    expect(Object.keys(functions).sort()).toEqual([API, DELIVER, INGEST, PUBLISH, REDRIVE]);
    expect(routes).toEqual({
      ...Object.fromEntries(MESSAGES_API_ROUTES.map((key) => [key, API])),
      [PUBLISH_ROUTE]: PUBLISH,
    });
    expect(schedules).toEqual([]);
  });

  it('lets the developer API encrypt webhook secrets only, and read the listings of an app only by index', () => {
    expect(mayRun(API, 'kms:Decrypt', 'PlatformKey')).toBe(false);
    expect(reaches(API)).toEqual([
      'DeliveryQueue',
      'IdentityTable',
      'MessagesTable',
      'MessagesTable/index/gsi1',
      'MessagesTable/index/gsi2',
      'PlatformKey',
    ]);
  });

  it('feeds them from their queues in batches of 10, reporting partial batch failures', () => {
    const batch = {
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    };
    expect(mappings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ FunctionName: INGEST, EventSourceArn: 'MessageIngestQueue', ...batch }),
        expect.objectContaining({ FunctionName: DELIVER, EventSourceArn: 'DeliveryQueue', ...batch }),
        expect.objectContaining({
          FunctionName: REDRIVE,
          EventSourceArn: 'DeliveryQueueDlq',
          BatchSize: 10,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        }),
      ]),
    );
    expect(mappings).toHaveLength(3);
  });

  it('keeps a message invisible for at least six function timeouts while it is processed', () => {
    for (const [entry, queue] of [
      [INGEST, data.messageIngestQueue],
      [DELIVER, data.deliveryQueue],
    ] as const) {
      const timeout = resources[functions[entry]!].Properties.Timeout;
      expect((queue.node.defaultChild as CfnQueue).visibilityTimeout, entry).toBeGreaterThanOrEqual(
        6 * timeout,
      );
    }
  });

  it('grants the messages table, the queues, their key, the analytics stream and rate leases only', () => {
    expect(reaches(INGEST)).toEqual([
      'DeliveryQueue',
      'MessageIngestQueue',
      'MessagesTable',
      'MessagesTable/index/gsi2',
      'PlatformKey',
    ]);
    expect(mayRun(INGEST, 'dynamodb:PutItem', 'MessagesTable')).toBe(true);
    expect(mayRun(INGEST, 'dynamodb:UpdateItem', 'MessagesTable')).toBe(false);
    expect(reaches(DELIVER)).toEqual([
      'AnalyticsStream',
      'DeliveryQueue',
      'MessagesTable',
      'MessagesTable/index/gsi2',
      'PlatformKey',
      'RateLimitTable',
    ]);
    expect(mayRun(DELIVER, 'dynamodb:DeleteItem', 'MessagesTable')).toBe(false);
  });
});

describe('Messages alarms', () => {
  it('alarms on any rejected business event, on the ingest function metric', () => {
    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({
          Namespace: 'Portico',
          MetricName: 'MessagesRejected',
          Dimensions: [{ Name: 'service', Value: 'messages-ingest' }],
          Statistic: 'Sum',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
        }),
      }),
    ]);
  });
});
