import { describe, expect, it } from 'vitest';
import {
  INGEST_GIVE_UP_AFTER_MS,
  INGEST_REDRIVE_DELAY_SECONDS,
  type IngestRequeue,
  redriveIngest,
} from './redrive-ingest.ts';

const NOW = Date.parse('2030-01-05T00:00:00Z');
const recording = () => {
  const calls: Parameters<IngestRequeue['requeue']>[] = [];
  return {
    calls,
    queue: { requeue: async (...args: Parameters<IngestRequeue['requeue']>) => void calls.push(args) },
  };
};

describe('redriveIngest', () => {
  it('puts a dead-lettered event back 15 minutes later, as the same event', async () => {
    const { calls, queue } = recording();
    const outcome = await redriveIngest(
      { queue },
      { body: '{"id":"e1"}', messageId: 'sqs-1', sentAt: NOW - 600_000, origin: {} },
      NOW,
    );
    expect(outcome).toBe('requeued');
    expect(calls).toEqual([
      ['{"id":"e1"}', { firstSentAt: NOW - 600_000, originId: 'sqs-1' }, INGEST_REDRIVE_DELAY_SECONDS],
    ]);
  });

  it('keeps the first enqueue time and origin id of an event redriven before', async () => {
    const { calls, queue } = recording();
    await redriveIngest(
      { queue },
      {
        body: 'b',
        messageId: 'sqs-9',
        sentAt: NOW - 1_000,
        origin: { firstSentAt: NOW - 86_400_000, originId: 'sqs-1' },
      },
      NOW,
    );
    expect(calls[0]![1]).toEqual({ firstSentAt: NOW - 86_400_000, originId: 'sqs-1' });
  });

  it('leaves an event four days old for an operator, putting nothing back', async () => {
    const { calls, queue } = recording();
    const outcome = await redriveIngest(
      { queue },
      { body: 'b', messageId: 'sqs-9', sentAt: NOW, origin: { firstSentAt: NOW - INGEST_GIVE_UP_AFTER_MS } },
      NOW,
    );
    expect(outcome).toBe('left-for-operators');
    expect(calls).toEqual([]);
  });
});
