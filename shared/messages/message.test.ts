import { describe, expect, it } from 'vitest';
import { messageFromEvent } from './message.ts';
import { aTopic } from './testing/topic-store.contract.ts';

const topic = aTopic('orders.created');
const now = new Date('2026-12-01T10:00:00Z');
const event = {
  id: 'evt-1',
  'detail-type': 'orders.created',
  source: 'biz.orders',
  time: '2026-12-01T09:59:59Z',
  detail: { orderId: 'o-1' },
};

describe('messageFromEvent', () => {
  it('accepts a valid event of a known topic, keeping its id and publication time', () => {
    expect(messageFromEvent(event, topic, 'sqs-1', now)).toEqual({
      messageId: 'evt-1',
      topic: 'orders.created',
      source: 'biz.orders',
      payload: { orderId: 'o-1' },
      status: 'Accepted',
      publishedAt: '2026-12-01T09:59:59Z',
      receivedAt: '2026-12-01T10:00:00.000Z',
    });
  });

  it('rejects, with a reason, what cannot be delivered: nothing is dropped', () => {
    const cases = [
      [undefined, 'malformed-event', 'sqs-1'],
      [{ ...event, id: undefined }, 'malformed-event', 'sqs-1'],
      [{ ...event, source: 'aws.ec2' }, 'malformed-event', 'evt-1'],
      [{ ...event, 'detail-type': undefined }, 'malformed-event', 'evt-1'],
      [{ ...event, 'detail-type': 'orders.unknown' }, 'unknown-topic', 'evt-1'],
      [{ ...event, detail: { orderId: 7 } }, 'invalid-payload', 'evt-1'],
      [{ ...event, detail: { orderId: 'x'.repeat(70_000) } }, 'payload-too-large', 'evt-1'],
    ] as const;
    for (const [input, reason, id] of cases) {
      const message = messageFromEvent(input, topic, 'sqs-1', now);
      expect(message.status, reason).toBe('Rejected');
      expect(message.rejection?.reason, reason).toBe(reason);
      expect(message.messageId).toBe(id);
    }
  });

  it('names the field a payload violates', () => {
    const message = messageFromEvent({ ...event, detail: {} }, topic, 'sqs-1', now);
    expect(message.rejection?.detail).toContain('orderId');
  });
});
