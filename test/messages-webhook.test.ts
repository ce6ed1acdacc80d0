import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { deliveryIdFor } from '../shared/messages/delivery.ts';
import { analyticsRecords } from './support/analytics.ts';
import { aws, portico } from './support/platform.ts';
import { eventually } from './support/wait.ts';

const TABLE = 'portico-MessagesTable';

/** A business event on the bus reaches the demo app's webhook, signed, and its delivery is recorded. */
describe('a published event', () => {
  it('is stored, fanned out and delivered to the subscribed webhook with a verifiable signature', async () => {
    const { webhook } = portico();
    const detail = { orderId: `o-${Date.now()}`, total: 12.5, currency: 'EUR' };
    const { Entries = [] } = await aws().events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'portico',
            Source: 'biz.orders',
            DetailType: webhook.topic,
            Detail: JSON.stringify(detail),
          },
        ],
      }),
    );
    const messageId = Entries[0]!.EventId!;
    const deliveryId = deliveryIdFor(messageId, webhook.subscriptionId);

    const delivery = await eventually(async () => {
      const { Item } = await aws().document.send(
        new GetCommand({ TableName: TABLE, Key: { pk: `DLV#${deliveryId}`, sk: 'DLV' } }),
      );
      return Item?.status === 'Sent' ? Item : undefined;
    }, 30_000);
    expect(delivery).toMatchObject({ messageId, subscriptionId: webhook.subscriptionId, attempts: 1 });

    const { Items: attempts = [] } = await aws().document.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :att)',
        ExpressionAttributeValues: { ':pk': `DLV#${deliveryId}`, ':att': 'ATT#' },
      }),
    );
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ attempt: 1, status: 200 });

    // The demo upstream echoes what it received: the headers and the raw body, as signed.
    const echoed = JSON.parse(attempts[0]!.responseExcerpt) as {
      method: string;
      path: string;
      headers: Record<string, string>;
      body: string;
    };
    expect(echoed).toMatchObject({ method: 'POST', path: `/webhooks/${webhook.topic}` });
    expect(echoed.headers['webhook-id']).toBe(deliveryId);
    expect(echoed.headers['webhook-message-id']).toBe(messageId);
    const verified = new Webhook(webhook.secret).verify(echoed.body, {
      'webhook-id': echoed.headers['webhook-id']!,
      'webhook-timestamp': echoed.headers['webhook-timestamp']!,
      'webhook-signature': echoed.headers['webhook-signature']!,
    });
    expect(verified).toMatchObject({ type: webhook.topic, data: detail });

    // The attempt reached the analytics stream too, as a `delivery` record without the payload.
    const record = await eventually(async () => {
      const records = await analyticsRecords();
      return records.find((r) => r.kind === 'delivery' && r.deliveryId === deliveryId);
    }, 20_000);
    expect(record).toMatchObject({
      messageId,
      attempt: 1,
      outcome: 'sent',
      status: 200,
      topic: webhook.topic,
    });
    expect(JSON.stringify(record)).not.toContain(detail.orderId);
  });
});
