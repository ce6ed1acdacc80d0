import { describe, expect, it } from 'vitest';
import { checkPayload, MAX_PAYLOAD_BYTES, maySubscribe, type Topic, validateTopic } from './topic.ts';

const topic: Topic = {
  name: 'orders.created',
  description: 'An order was placed.',
  owner: 'orders-team',
  scope: 'orders:events',
  payloadSchema: {
    type: 'object',
    properties: { orderId: { type: 'string' }, total: { type: 'number', minimum: 0 } },
    required: ['orderId', 'total'],
  },
  example: { orderId: 'o-1', total: 12.5 },
  retentionDays: 30,
};

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'accepted';
};

describe('topics', () => {
  it('are accepted when the schema compiles and the example satisfies it', () => {
    expect(validateTopic(topic)).toEqual(topic);
  });

  it('are refused with a bad name, a broken schema, a failing example or a short retention', () => {
    for (const bad of [
      { ...topic, name: 'Orders' },
      { ...topic, name: 'orders' },
      { ...topic, name: 'orders..created' },
      { ...topic, payloadSchema: { type: 'no-such-type' } },
      { ...topic, example: { orderId: 1 } },
      { ...topic, retentionDays: 7 },
      { ...topic, extra: true },
      { ...topic, scope: ' bad scope' },
    ]) {
      expect(
        code(() => validateTopic(bad)),
        JSON.stringify(bad).slice(0, 80),
      ).toBe('validation-failed');
    }
  });

  it('check payloads against the schema and the 64 KB limit', () => {
    expect(code(() => checkPayload(topic, { orderId: 'o-2', total: 3 }))).toBe('accepted');
    expect(code(() => checkPayload(topic, { orderId: 'o-2', total: -1 }))).toBe('validation-failed');
    expect(code(() => checkPayload(topic, null))).toBe('validation-failed');
    const big = { orderId: 'x'.repeat(MAX_PAYLOAD_BYTES), total: 1 };
    expect(code(() => checkPayload(topic, big))).toBe('payload-too-large');
  });

  it('admit subscribers holding the topic’s scope only', () => {
    expect(maySubscribe(topic, ['echo:read', 'orders:events'])).toBe(true);
    expect(maySubscribe(topic, ['orders:read'])).toBe(false);
  });
});
