import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsDeliveryQueue } from '../../shared/messages/adapters/sqs-delivery-queue.ts';
import { aws, uniqueName } from '../support/platform.ts';

/** The delivery queue against the emulator's SQS: bodies, subscription groups and delays as sent. */
describe('SqsDeliveryQueue (emulator)', () => {
  const { sqs } = aws();
  let queueUrl: string;
  beforeAll(async () => {
    ({ QueueUrl: queueUrl } = (await sqs.send(
      new CreateQueueCommand({ QueueName: uniqueName('deliveries') }),
    )) as {
      QueueUrl: string;
    });
  });
  afterAll(async () => {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  });

  it('sends one message per due delivery, grouped by subscription, holding back the later ones', async () => {
    const now = Date.now();
    const queue = new SqsDeliveryQueue(sqs, queueUrl, () => now);
    const items = Array.from({ length: 12 }, (_, i) => ({
      deliveryId: `msg_${i}`,
      subscriptionId: `sub-${i % 3}`,
      dueAt: i === 11 ? now + 3_600_000 : now,
    }));
    await queue.enqueue(items);
    const received: { deliveryId: string; group?: string }[] = [];
    for (let round = 0; round < 10 && received.length < 11; round++) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          MessageSystemAttributeNames: ['MessageGroupId'],
        }),
      );
      for (const m of Messages) {
        received.push({ ...JSON.parse(m.Body!), group: m.Attributes?.MessageGroupId });
      }
    }
    expect(received.map((r) => r.deliveryId).sort()).toEqual(
      items
        .slice(0, 11)
        .map((i) => i.deliveryId)
        .sort(),
    );
    expect(received.find((r) => r.deliveryId === 'msg_4')?.group).toBe('sub-1');
  });
});
