import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { aTopic } from '../shared/messages/testing/topic-store.contract.ts';
import { consoleToken } from './support/console.ts';
import { as } from './support/http.ts';
import { adminToken } from './support/oauth.ts';
import { aws, uniqueName } from './support/platform.ts';
import { eventually } from './support/wait.ts';

const TABLE = 'portico-MessagesTable';
const topicName = () =>
  `it.${uniqueName('t')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')}`.slice(0, 40);

let admin: string;
let operator: string;
let viewer: string;
beforeAll(async () => {
  admin = await adminToken();
  operator = await consoleToken(admin, 'operator');
  viewer = await consoleToken(admin, 'viewer');
});

describe('the console topic catalog', () => {
  it('creates, reads, updates over an ETag and deletes a topic; viewers read, only admins delete', async () => {
    const name = topicName();
    const { name: _n, ...body } = aTopic(name);
    expect((await as(viewer).send('PUT', `/console/v1/topics/${name}`, body)).status).toBe(403);
    const created = await as(operator).send('PUT', `/console/v1/topics/${name}`, body);
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    const read = await as(viewer).get(`/console/v1/topics/${name}`);
    expect(read.body).toMatchObject({ ...aTopic(name), revision: 1 });
    const stale = await as(operator).send(
      'PUT',
      `/console/v1/topics/${name}`,
      { ...body, description: 'x' },
      { 'if-match': '"7"' },
    );
    expect(stale.status).toBe(409);
    const updated = await as(operator).send(
      'PUT',
      `/console/v1/topics/${name}`,
      { ...body, description: 'New.' },
      { 'if-match': '"1"' },
    );
    expect(updated.status).toBe(200);
    const list = await as(viewer).get('/console/v1/topics');
    expect(list.body.items.map((t: { name: string }) => t.name)).toContain(name);
    expect((await as(operator).send('DELETE', `/console/v1/topics/${name}`)).status).toBe(403);
    expect((await as(admin).send('DELETE', `/console/v1/topics/${name}`)).status).toBe(204);
    expect((await as(viewer).get(`/console/v1/topics/${name}`)).status).toBe(404);
  });

  it('answers bad topics with problem+json and stores nothing', async () => {
    const name = topicName();
    const { name: _n, ...body } = aTopic(name);
    const bad = [
      { ...body, example: { orderId: 1 } },
      { ...body, payloadSchema: { type: 'nonsense' } },
      { ...body, retentionDays: 1 },
      { ...body, scope: 'not a scope' },
      { ...body, name: 'other.name' },
      { ...body, surprise: true },
    ];
    for (const payload of bad) {
      const answer = await as(operator).send('PUT', `/console/v1/topics/${name}`, payload);
      expect(answer.status, JSON.stringify(payload)).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    const badName = await as(operator).send('PUT', '/console/v1/topics/Not_A_Topic', body);
    expect(badName.status).toBe(400);
    expect((await as(viewer).get(`/console/v1/topics/${name}`)).status).toBe(404);
  });
});

describe('a business event the platform cannot deliver', () => {
  it('is kept as Rejected with its reason: unknown topic or a payload its schema refuses', async () => {
    const { Entries = [] } = await aws().events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'portico',
            Source: 'biz.orders',
            DetailType: 'orders.nobody-knows',
            Detail: '{"a":1}',
          },
          {
            EventBusName: 'portico',
            Source: 'biz.orders',
            DetailType: 'orders.created',
            Detail: '{"orderId":5}',
          },
        ],
      }),
    );
    const [unknown, invalid] = Entries.map((e) => e.EventId!);
    for (const [id, reason] of [
      [unknown, 'unknown-topic'],
      [invalid, 'invalid-payload'],
    ] as const) {
      const message = await eventually(async () => {
        const { Item } = await aws().document.send(
          new GetCommand({ TableName: TABLE, Key: { pk: `MSG#${id}`, sk: 'MSG' } }),
        );
        return Item;
      }, 20_000);
      expect(message).toMatchObject({ status: 'Rejected', rejection: { reason } });
    }
  });
});
