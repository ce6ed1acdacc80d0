import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { synthCapability } from './capability-fixture.ts';
import { Messages } from './messages.ts';

const INGEST = 'functions/messages/ingest.ts';
const DELIVER = 'functions/messages/deliver.ts';
const { resources, functions, routes, schedules, mappings, reaches, mayRun, data } = synthCapability(
  (scope, props) => new Messages(scope, 'Messages', props),
);

describe('Messages', () => {
  it('owns the ingest and delivery functions, with no route and no schedule', () => {
    expect(Object.keys(functions).sort()).toEqual([DELIVER, INGEST]);
    expect(routes).toEqual({});
    expect(schedules).toEqual([]);
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
      ]),
    );
    expect(mappings).toHaveLength(2);
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

  it('grants the messages table, the queues and their key only', () => {
    expect(reaches(INGEST)).toEqual(['DeliveryQueue', 'MessageIngestQueue', 'MessagesTable', 'PlatformKey']);
    expect(mayRun(INGEST, 'dynamodb:PutItem', 'MessagesTable')).toBe(true);
    expect(mayRun(INGEST, 'dynamodb:UpdateItem', 'MessagesTable')).toBe(false);
    expect(reaches(DELIVER)).toEqual(['DeliveryQueue', 'MessagesTable', 'PlatformKey']);
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
