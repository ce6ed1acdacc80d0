import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MessageStream, MessageStreamRefused, type StreamMessage } from '../sdk/message-stream.ts';
import { DynamoConnectionStore } from '../shared/messages/adapters/dynamo-connection-store.ts';
import { newConnection } from '../shared/messages/stream-connection.ts';
import { ACK_TIMEOUT_MS } from '../shared/messages/stream-push.ts';
import { createApp } from './support/console.ts';
import { as } from './support/http.ts';
import { adminToken, tokenFor } from './support/oauth.ts';
import { aws, portico, uniqueName } from './support/platform.ts';
import { eventually, sleep } from './support/wait.ts';

const TOPIC = 'orders.created';
const MESSAGES_TABLE = 'portico-MessagesTable';
type Api = ReturnType<typeof as>;

let aliceToken: string;
let alice: Api;
let bobToken: string;
let bob: Api;

const streamUrl = () => {
  const url = portico().webSocketUrl;
  if (!url) throw new Error('the local platform serves no WebSocket API');
  return url;
};

/** Publishes orders on the bus, each tagged with `run` so that only this test's subscriptions get them. */
async function publish(run: string, count: number): Promise<string[]> {
  const { Entries = [] } = await aws().events.send(
    new PutEventsCommand({
      Entries: Array.from({ length: count }, (_, n) => ({
        EventBusName: 'portico',
        Source: 'biz.orders',
        DetailType: TOPIC,
        Detail: JSON.stringify({ orderId: `${run}-${n}`, total: n, currency: 'EUR', run }),
      })),
    }),
  );
  return Entries.map((e) => e.EventId!);
}

/** A websocket subscription of `api`'s app to this run's orders only. */
async function subscribe(api: Api, run: string): Promise<string> {
  const created = await api.send('POST', '/v1/subscriptions', {
    topic: TOPIC,
    mode: 'websocket',
    filter: { run },
  });
  expect(created.status).toBe(201);
  return created.body.subscriptionId;
}

/** Opens a raw connection; resolves with it once open, or with the status that refused it. */
function connect(query: string, headers: Record<string, string> = {}): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${streamUrl()}${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', (error) => {
      if (ws.readyState === WebSocket.CONNECTING) reject(error);
    });
  });
}

/** The frames a raw connection receives, as they arrive; `next` takes the first of a type not taken yet. */
function framesOf(ws: WebSocket) {
  const frames: Record<string, any>[] = [];
  const taken = new Set<Record<string, any>>();
  ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
  return {
    frames,
    next: (type: string) =>
      eventually(async () => {
        const frame = frames.find((f) => f.type === type && !taken.has(f));
        if (frame) taken.add(frame);
        return frame;
      }, 15_000),
  };
}

const delivery = async (api: Api, id: string) => (await api.get(`/v1/deliveries/${id}`)).body;

beforeAll(async () => {
  const admin = await adminToken();
  const aliceApp = await createApp(admin, { name: 'ws-alice', scopes: ['orders:read'] });
  const bobApp = await createApp(admin, { name: 'ws-bob', scopes: ['orders:read'] });
  aliceToken = await tokenFor(aliceApp.clientId, aliceApp.clientSecret);
  bobToken = await tokenFor(bobApp.clientId, bobApp.clientSecret);
  alice = as(aliceToken);
  bob = as(bobToken);
});

describe('the message stream (WebSocket)', () => {
  it('lets an app connect with its own token only, to its own websocket subscriptions', async () => {
    expect(streamUrl()).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v1$/);
    const run = uniqueName('auth');
    const subscriptionId = await subscribe(alice, run);
    expect(await connect('', { authorization: 'Bearer not-a-token' })).toBe(401);
    expect(await connect('')).toBe(401);
    const refused = await new MessageStream({ url: streamUrl(), token: 'expired', onMessage: () => {} })
      .start()
      .catch((error: unknown) => error);
    expect(refused).toEqual(new MessageStreamRefused(401));
    expect(await connect(`?subscription=${subscriptionId}`, { authorization: `Bearer ${bobToken}` })).toBe(
      404,
    );
    expect(await connect('', { authorization: `Bearer ${bobToken}` })).toBe(409);
    const pull = await alice.send('POST', '/v1/subscriptions', { topic: TOPIC, mode: 'pull' });
    expect(
      await connect(`?subscription=${pull.body.subscriptionId}`, { authorization: `Bearer ${aliceToken}` }),
    ).toBe(409);
    // Browsers cannot set headers: the token may come as `access_token`.
    const ws = await connect(`?subscription=${subscriptionId}&access_token=${aliceToken}`);
    expect(ws).toBeInstanceOf(WebSocket);
    const { next } = framesOf(ws as WebSocket);
    (ws as WebSocket).send(JSON.stringify({ action: 'ping' }));
    expect(await next('pong')).toEqual({ type: 'pong' });
    (ws as WebSocket).send(JSON.stringify({ action: 'dance' }));
    expect(await next('error')).toMatchObject({ code: 'bad-request' });
    (ws as WebSocket).close();
  });

  it('pushes a published message; an ack makes its delivery Sent', async () => {
    const run = uniqueName('push');
    const subscriptionId = await subscribe(alice, run);
    const received: StreamMessage[] = [];
    const stream = new MessageStream({
      url: streamUrl(),
      token: aliceToken,
      subscriptionId,
      onMessage: (m) => void received.push(m),
    });
    await stream.start();
    try {
      const [messageId] = await publish(run, 1);
      const message = await eventually(async () => received.find((m) => m.messageId === messageId), 20_000);
      expect(message).toMatchObject({
        type: 'message',
        subscriptionId,
        topic: TOPIC,
        payload: { orderId: `${run}-0`, run },
        attempt: 1,
      });
      await eventually(async () =>
        (await delivery(alice, message.deliveryId)).status === 'Sent' ? true : undefined,
      );
      expect(await delivery(alice, message.deliveryId)).toMatchObject({ status: 'Sent', attempts: 1 });
    } finally {
      await stream.close();
    }
  });

  it('sends the backlog that waited while nobody was connected once the client resumes', async () => {
    const run = uniqueName('backlog');
    const subscriptionId = await subscribe(alice, run);
    const messageIds = await publish(run, 3);
    const queued = await eventually(async () => {
      const items = (await alice.get(`/v1/deliveries?subscriptionId=${subscriptionId}`)).body.items;
      return items.length === 3 ? items : undefined;
    });
    expect(queued.map((d: { status: string; attempts: number }) => [d.status, d.attempts])).toEqual([
      ['Queued', 0],
      ['Queued', 0],
      ['Queued', 0],
    ]);
    const received: StreamMessage[] = [];
    const stream = new MessageStream({
      url: streamUrl(),
      token: aliceToken,
      onMessage: (m) => void received.push(m),
    });
    await stream.start();
    try {
      const mine = () => received.filter((m) => (m.payload as { run?: string }).run === run);
      await eventually(async () => (mine().length >= 3 ? true : undefined), 20_000);
      expect(
        mine()
          .map((m) => m.messageId)
          .sort(),
      ).toEqual([...messageIds].sort());
    } finally {
      await stream.close();
    }
  });

  it('leaves what was pushed but not acknowledged to pull once the client is gone', async () => {
    const run = uniqueName('unacked');
    const subscriptionId = await subscribe(alice, run);
    const ws = (await connect(`?subscription=${subscriptionId}`, {
      authorization: `Bearer ${aliceToken}`,
    })) as WebSocket;
    const { frames } = framesOf(ws);
    const messageIds = await publish(run, 3);
    await eventually(async () =>
      frames.filter((f) => f.type === 'message').length === 3 ? true : undefined,
    );
    ws.close();
    // Unacknowledged: each comes due when its ack timeout ends, and a pull takes it.
    await sleep(ACK_TIMEOUT_MS - 5_000);
    const all: { messageId: string; deliveryId: string; attempt: number }[] = [];
    await eventually(
      async () => {
        const answer = await alice.send('POST', `/v1/subscriptions/${subscriptionId}/pull`, { max: 10 });
        all.push(...answer.body.items);
        return all.length === 3 ? true : undefined;
      },
      30_000,
      { intervalMs: 1_000 },
    );
    expect(all.map((p) => p.messageId).sort()).toEqual([...messageIds].sort());
    // The push was attempt 1; the pull is attempt 2.
    expect(all.map((p) => p.attempt)).toEqual([2, 2, 2]);
    const ack = await alice.send('POST', `/v1/subscriptions/${subscriptionId}/ack`, {
      deliveryIds: all.map((p) => p.deliveryId),
    });
    expect(ack.body.acknowledged).toHaveLength(3);
  }, 90_000);

  it('forgets a connection that ended without $disconnect when a push finds it gone', async () => {
    const run = uniqueName('gone');
    const subscriptionId = await subscribe(alice, run);
    // What a lost $disconnect leaves behind: the records of a connection API Gateway no longer has.
    const connections = new DynamoConnectionStore(aws().document, MESSAGES_TABLE);
    const ghost = `${uniqueName('ghost').replace(/[^A-Za-z0-9]/g, '')}=`;
    await connections.put(newConnection(ghost, 'ghost-app', [subscriptionId], Date.now()));
    expect(await connections.listeners(subscriptionId, Date.now())).toHaveLength(1);

    const [messageId] = await publish(run, 1);
    await eventually(async () =>
      (await connections.get(ghost, Date.now())) === undefined ? true : undefined,
    );
    expect(await connections.listeners(subscriptionId, Date.now())).toEqual([]);
    // Nobody got it: no attempt counted, and it is still there to pull.
    const items = (await alice.get(`/v1/deliveries?subscriptionId=${subscriptionId}`)).body.items;
    expect(items).toEqual([expect.objectContaining({ messageId, status: 'Queued', attempts: 0 })]);
    const pulled = await alice.send('POST', `/v1/subscriptions/${subscriptionId}/pull`, {});
    expect(pulled.body.items.map((p: { messageId: string }) => p.messageId)).toEqual([messageId]);
  });

  it("acknowledges nothing of another app's", async () => {
    const run = uniqueName('theirs');
    const aliceSubscription = await subscribe(alice, run);
    await subscribe(bob, uniqueName('bob'));
    const [messageId] = await publish(run, 1);
    const target = await eventually(async () => {
      const items = (await alice.get(`/v1/deliveries?subscriptionId=${aliceSubscription}`)).body.items;
      return items.find((d: { messageId: string }) => d.messageId === messageId);
    });
    const ws = (await connect('', { authorization: `Bearer ${bobToken}` })) as WebSocket;
    const { next } = framesOf(ws);
    ws.send(JSON.stringify({ action: 'ack', deliveryIds: [target.deliveryId] }));
    expect(await next('acked')).toMatchObject({ acknowledged: [], unknown: [target.deliveryId] });
    ws.send(JSON.stringify({ action: 'ack', deliveryIds: ['not-an-id'] }));
    expect(await next('error')).toMatchObject({ code: 'validation-failed' });
    ws.close();
    expect((await delivery(alice, target.deliveryId)).status).toBe('Queued');
  });
});
