import type { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { synthCapability } from './capability-fixture.ts';
import { Messages } from './messages.ts';

const INGEST = 'functions/messages/ingest.ts';
const { resources, functions, routes, schedules, mappings, reaches, mayRun, data } = synthCapability(
  (scope, props) => new Messages(scope, 'Messages', props),
);

describe('Messages', () => {
  it('owns the ingest function only, with no route and no schedule', () => {
    expect(Object.keys(functions)).toEqual([INGEST]);
    expect(routes).toEqual({});
    expect(schedules).toEqual([]);
  });

  it('feeds it from the ingest queue in batches of 10, reporting partial batch failures', () => {
    expect(mappings).toEqual([
      expect.objectContaining({
        FunctionName: INGEST,
        EventSourceArn: 'MessageIngestQueue',
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    ]);
  });

  it('keeps a message invisible for at least six function timeouts while it is processed', () => {
    const timeout = resources[functions[INGEST]!].Properties.Timeout;
    const queue = data.messageIngestQueue.node.defaultChild as CfnQueue;
    expect(queue.visibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('grants the messages table (PutItem), the queue and its key only', () => {
    expect(reaches(INGEST)).toEqual(['MessageIngestQueue', 'MessagesTable', 'PlatformKey']);
    expect(mayRun(INGEST, 'dynamodb:PutItem', 'MessagesTable')).toBe(true);
    expect(mayRun(INGEST, 'dynamodb:UpdateItem', 'MessagesTable')).toBe(false);
  });
});
