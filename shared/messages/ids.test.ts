import { describe, expect, it } from 'vitest';
import { deliveryIdFor } from './delivery.ts';
import { isDeliveryId, isMessageId, isSubscriptionId, isTopicName } from './ids.ts';
import { publishedMessageId } from './publish-message.ts';

describe('message ids', () => {
  it('accept what the platform hands out', () => {
    expect(isDeliveryId(deliveryIdFor('evt-1', 'sub_1'))).toBe(true);
    expect(isSubscriptionId('sub_Qm7rV2nXcL0pA9sK4tYbEw')).toBe(true);
    expect(isMessageId('6a7e8feb-b491-4cf7-a9f1-bf3703467718')).toBe(true);
    expect(isMessageId(publishedMessageId('app_1', 'orders.created', 'k'))).toBe(true);
    expect(isTopicName('orders.created')).toBe(true);
  });

  it('refuse what would only reach the store to fail there (DynamoDB keys stop at 1,024 bytes)', () => {
    for (const bad of ['', 'x'.repeat(2000), 'sub_../x', 'msg_short', 'a b', '__proto__.x']) {
      expect(isSubscriptionId(bad) && isDeliveryId(bad) && isTopicName(bad)).toBe(false);
    }
    expect(isMessageId('m'.repeat(129))).toBe(false);
    expect(isTopicName('Orders.Created')).toBe(false);
  });
});
