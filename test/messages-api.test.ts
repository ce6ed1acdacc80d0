import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CreatedApp, consoleToken, createApp } from './support/console.ts';
import { as } from './support/http.ts';
import { adminToken, tokenFor } from './support/oauth.ts';
import { aws, portico } from './support/platform.ts';
import { eventually } from './support/wait.ts';

const TOPIC = 'orders.created';
type Api = ReturnType<typeof as>;

let alice: Api;
let bob: Api;
let carol: Api;
let aliceApp: CreatedApp;
const receiver = () => `${portico().upstreamUrl}/webhooks/api-test`;

async function publish(detail: Record<string, unknown>): Promise<string> {
  const { Entries = [] } = await aws().events.send(
    new PutEventsCommand({
      Entries: [
        { EventBusName: 'portico', Source: 'biz.orders', DetailType: TOPIC, Detail: JSON.stringify(detail) },
      ],
    }),
  );
  return Entries[0]!.EventId!;
}

const order = (status = 'paid') => ({
  orderId: `o-${Math.random().toString(36).slice(2)}`,
  total: 9.5,
  currency: 'EUR',
  status,
});

/** The delivery of `messageId` to `subscriptionId` once it is in `status`, as the app reads it. */
async function deliveryIn(api: Api, subscriptionId: string, messageId: string, status: string) {
  return eventually(async () => {
    const page = await api.get(`/v1/deliveries?subscriptionId=${subscriptionId}&limit=100`);
    const found = page.body.items?.find((d: { messageId: string }) => d.messageId === messageId);
    return found?.status === status ? found : undefined;
  }, 30_000);
}

/** What the demo upstream received for an attempt: it answers with the request it got. */
const received = (attempt: { responseExcerpt: string }) =>
  JSON.parse(attempt.responseExcerpt) as { headers: Record<string, string>; body: string };

beforeAll(async () => {
  const admin = await adminToken();
  aliceApp = await createApp(admin, { name: 'alice', scopes: ['orders:read'] });
  const bobApp = await createApp(admin, { name: 'bob', scopes: ['orders:read'] });
  const carolApp = await createApp(admin, { name: 'carol', scopes: ['echo:read'] });
  alice = as(await tokenFor(aliceApp.clientId, aliceApp.clientSecret));
  bob = as(await tokenFor(bobApp.clientId, bobApp.clientSecret));
  carol = as(await tokenFor(carolApp.clientId, carolApp.clientSecret));
});

describe('the developer messages API', () => {
  it('publishes the topics with their payload schema, never their owner', async () => {
    const { status, body } = await carol.get('/v1/topics');
    expect(status).toBe(200);
    const topic = body.items.find((t: { name: string }) => t.name === TOPIC);
    expect(topic).toMatchObject({ scope: 'orders:read', payloadSchema: { type: 'object' } });
    expect(topic).not.toHaveProperty('owner');
    expect((await carol.get(`/v1/topics/${TOPIC}`)).body.name).toBe(TOPIC);
    expect((await carol.get('/v1/topics/orders.nope')).status).toBe(404);
  });

  it('refuses bad subscriptions with problem+json and stores none', async () => {
    const valid = { topic: TOPIC, mode: 'webhook', url: receiver() };
    const cases: [Api, unknown, number][] = [
      [carol, valid, 403],
      [alice, { ...valid, topic: 'orders.unknown' }, 400],
      [alice, { ...valid, url: 'http://10.0.0.1/hook' }, 400],
      [alice, { ...valid, url: 'https://169.254.169.254/latest/meta-data' }, 400],
      [alice, { ...valid, url: 'https://[::ffff:169.254.169.254]/x' }, 400],
      [alice, { ...valid, url: 'ftp://example.com/x' }, 400],
      [alice, { ...valid, filter: { 'bad path!': 1 } }, 400],
      [alice, { ...valid, filter: {} }, 400],
      [alice, { ...valid, retrySchedule: [0, 999999] }, 400],
      [alice, { ...valid, mode: 'carrier-pigeon' }, 400],
      [alice, { ...valid, url: undefined }, 400],
      [alice, { ...valid, extra: true }, 400],
      [alice, { ...valid, description: 'x'.repeat(70_000) }, 400],
    ];
    for (const [api, body, status] of cases) {
      const answer = await api.send('POST', '/v1/subscriptions', body);
      expect(answer.status, JSON.stringify(body).slice(0, 120)).toBe(status);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    const notJson = await alice.send('POST', '/v1/subscriptions', undefined, {
      'content-type': 'application/json',
    });
    expect(notJson.status).toBe(400);
    expect((await alice.get('/v1/subscriptions')).body.items).toEqual([]);
    expect((await carol.get('/v1/subscriptions')).body.items).toEqual([]);
  });

  it("delivers, lists and replays an app's deliveries, and shows another app none of it", async () => {
    const created = await alice.send('POST', '/v1/subscriptions', {
      topic: TOPIC,
      mode: 'webhook',
      url: receiver(),
      filter: { status: 'paid' },
      retrySchedule: [0, 1, 2],
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { subscriptionId, secret } = created.body;
    expect(secret).toMatch(/^whsec_/);
    expect((await alice.get(`/v1/subscriptions/${subscriptionId}`)).body).not.toHaveProperty('secret');

    const messageId = await publish(order('paid'));
    const skipped = await publish(order('pending'));
    const sent = await deliveryIn(alice, subscriptionId, messageId, 'Sent');
    const detail = await alice.get(`/v1/deliveries/${sent.deliveryId}`);
    expect(detail.body.attemptLog).toHaveLength(1);
    const request = received(detail.body.attemptLog[0]);
    expect(request.headers['webhook-id']).toBe(sent.deliveryId);
    expect(new Webhook(secret).verify(request.body, request.headers)).toMatchObject({ type: TOPIC });

    const messages = await alice.get(`/v1/messages?topic=${TOPIC}`);
    expect(messages.body.items.map((m: { messageId: string }) => m.messageId)).toContain(messageId);
    expect(messages.body.items.map((m: { messageId: string }) => m.messageId)).not.toContain(skipped);
    const message = await alice.get(`/v1/messages/${messageId}`);
    expect(message.body).toMatchObject({
      messageId,
      topic: TOPIC,
      deliveries: [{ deliveryId: sent.deliveryId, status: 'Sent' }],
    });

    for (const path of [
      `/v1/subscriptions/${subscriptionId}`,
      `/v1/deliveries/${sent.deliveryId}`,
      `/v1/messages/${messageId}`,
    ]) {
      expect((await bob.get(path)).status, path).toBe(404);
    }
    expect((await bob.send('PATCH', `/v1/subscriptions/${subscriptionId}`, { state: 'paused' })).status).toBe(
      404,
    );
    expect((await bob.send('POST', `/v1/deliveries/${sent.deliveryId}/replay`)).status).toBe(404);
    expect((await bob.send('DELETE', `/v1/subscriptions/${subscriptionId}`)).status).toBe(404);
    expect((await bob.get('/v1/deliveries')).body.items).toEqual([]);
    expect((await alice.get('/v1/deliveries?status=sent')).status).toBe(400);
    expect((await alice.get('/v1/deliveries?cursor=abc')).status).toBe(400);
    expect((await alice.get('/v1/deliveries?nope=1')).status).toBe(400);

    const replayed = await alice.send('POST', `/v1/deliveries/${sent.deliveryId}/replay`);
    expect(replayed.status).toBe(202);
    await eventually(async () => {
      const again = await alice.get(`/v1/deliveries/${sent.deliveryId}`);
      return again.body.status === 'Sent' && again.body.attempts === 2 ? true : undefined;
    }, 30_000);
  });

  it('holds deliveries while paused and sends them on resume; rotation signs with both secrets', async () => {
    const created = await alice.send('POST', '/v1/subscriptions', {
      topic: TOPIC,
      mode: 'webhook',
      url: receiver(),
    });
    const { subscriptionId, secret: first } = created.body;
    const paused = await alice.send('PATCH', `/v1/subscriptions/${subscriptionId}`, { state: 'paused' });
    expect(paused.body.state).toBe('paused');
    const messageId = await publish(order());
    await deliveryIn(alice, subscriptionId, messageId, 'Paused');

    const rotated = await alice.send('POST', `/v1/subscriptions/${subscriptionId}/rotate-secret`, {
      overlapSeconds: 3600,
    });
    expect(rotated.status).toBe(200);
    const second = rotated.body.secret;
    expect(second).toMatch(/^whsec_/);
    expect(rotated.body.signingSecrets).toHaveLength(2);

    const resumed = await alice.send('PATCH', `/v1/subscriptions/${subscriptionId}`, { state: 'active' });
    expect(resumed.body).toMatchObject({ state: 'active', released: { moved: 1, more: false } });
    const sent = await deliveryIn(alice, subscriptionId, messageId, 'Sent');
    const { attemptLog } = (await alice.get(`/v1/deliveries/${sent.deliveryId}`)).body;
    const request = received(attemptLog.at(-1));
    expect(request.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    for (const secret of [first, second]) {
      expect(new Webhook(secret).verify(request.body, request.headers)).toMatchObject({ type: TOPIC });
    }
    expect((await alice.send('DELETE', `/v1/subscriptions/${subscriptionId}`)).status).toBe(204);
    expect((await alice.get(`/v1/subscriptions/${subscriptionId}`)).status).toBe(404);
  });

  it('lets no sandbox credential manage subscriptions', async () => {
    const admin = as(await adminToken());
    const sandbox = await admin.send('POST', `/console/v1/apps/${aliceApp.appId}/credentials`, {
      environment: 'sandbox',
    });
    expect(sandbox.status).toBe(201);
    const token = await tokenFor(sandbox.body.clientId, sandbox.body.clientSecret);
    expect((await as(token).get('/v1/subscriptions')).status).toBe(403);
  });
});

describe('the internal publish API', () => {
  const path = `/internal/v1/topics/${TOPIC}/messages`;

  it('takes a message from a platform publisher once per Idempotency-Key and delivers it', async () => {
    const admin = await adminToken();
    const publisherApp = await createApp(admin, { name: 'orders service', scopes: [`publish:${TOPIC}`] });
    const publisher = as(await tokenFor(publisherApp.clientId, publisherApp.clientSecret));
    const sub = await alice.send('POST', '/v1/subscriptions', { topic: TOPIC, mode: 'pull' });
    expect(sub.status).toBe(201);
    const payload = order();
    const key = { 'idempotency-key': `order-${payload.orderId}` };

    const first = await publisher.send('POST', path, payload, key);
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBe('false');
    const again = await publisher.send('POST', path, payload, key);
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.messageId).toBe(first.body.messageId);
    const other = await publisher.send('POST', path, { ...payload, total: 1 }, key);
    expect(other.status).toBe(409);

    const deliveries = await alice.get(`/v1/deliveries?subscriptionId=${sub.body.subscriptionId}`);
    expect(deliveries.body.items.map((d: { messageId: string }) => d.messageId)).toEqual([
      first.body.messageId,
    ]);
  });

  it('refuses third parties, missing keys, unknown topics and invalid payloads, storing nothing', async () => {
    const admin = await adminToken();
    const publisherApp = await createApp(admin, {
      name: 'orders service 2',
      scopes: [`publish:${TOPIC}`, 'publish:orders.nope'],
    });
    const publisher = as(await tokenFor(publisherApp.clientId, publisherApp.clientSecret));
    const key = () => ({ 'idempotency-key': `k-${Math.random()}` });
    const cases: [Api, string, unknown, Record<string, string>, number][] = [
      [alice, path, order(), key(), 403],
      [publisher, path, order(), {}, 400],
      [publisher, path, { orderId: 5 }, key(), 400],
      [publisher, path, { ...order(), currency: 'euros' }, key(), 400],
      [publisher, '/internal/v1/topics/orders.nope/messages', order(), key(), 404],
      [publisher, `/internal/v1/topics/${TOPIC}/messages?x=1`, order(), key(), 400],
    ];
    for (const [api, at, body, headers, status] of cases) {
      const answer = await api.send('POST', at, body, headers);
      expect(answer.status, `${at} ${JSON.stringify(body)} ${JSON.stringify(headers)}`).toBe(status);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('leaves publish scopes to admins: an operator cannot grant one', async () => {
    const operator = as(await consoleToken(await adminToken(), 'operator'));
    const attempt = await operator.send('POST', '/console/v1/apps', {
      name: 'sneaky',
      scopes: [`publish:${TOPIC}`],
    });
    expect(attempt.status).toBe(403);
  });
});

describe('pull and acknowledge', () => {
  it('hands due deliveries out under a lease, takes acknowledgements, and gives back what was not acknowledged', async () => {
    const created = await alice.send('POST', '/v1/subscriptions', {
      topic: TOPIC,
      mode: 'pull',
      filter: { status: 'pending' },
    });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('secret');
    const id = created.body.subscriptionId;
    const published = [await publish(order('pending')), await publish(order('pending'))];
    const pulled = await eventually(async () => {
      const answer = await alice.send('POST', `/v1/subscriptions/${id}/pull`, { max: 10, leaseSeconds: 5 });
      return answer.body.items?.length > 0 ? answer.body.items : undefined;
    }, 20_000);
    const all = [...pulled];
    if (all.length < 2) {
      const more = await eventually(async () => {
        const answer = await alice.send('POST', `/v1/subscriptions/${id}/pull`, { leaseSeconds: 5 });
        return answer.body.items?.length > 0 ? answer.body.items : undefined;
      }, 20_000);
      all.push(...more);
    }
    expect(all.map((p: { messageId: string }) => p.messageId).sort()).toEqual([...published].sort());
    expect(all[0]).toMatchObject({ topic: TOPIC, attempt: 1, payload: { status: 'pending' } });

    const [kept, dropped] = all as { deliveryId: string; messageId: string }[];
    const ack = await alice.send('POST', `/v1/subscriptions/${id}/ack`, { deliveryIds: [kept!.deliveryId] });
    expect(ack.body).toEqual({ acknowledged: [kept!.deliveryId], unknown: [] });
    expect(
      (await bob.send('POST', `/v1/subscriptions/${id}/ack`, { deliveryIds: [dropped!.deliveryId] })).status,
    ).toBe(404);
    expect((await alice.send('POST', `/v1/subscriptions/${id}/pull`, {})).body.items).toEqual([]);

    const back = await eventually(async () => {
      const answer = await alice.send('POST', `/v1/subscriptions/${id}/pull`, {});
      return answer.body.items?.length > 0 ? answer.body.items : undefined;
    }, 15_000);
    expect(back).toEqual([expect.objectContaining({ deliveryId: dropped!.deliveryId, attempt: 2 })]);
    const sent = await alice.get(`/v1/deliveries/${kept!.deliveryId}`);
    expect(sent.body.status).toBe('Sent');
    expect((await alice.send('POST', `/v1/subscriptions/${id}/pull`, { max: 1000 })).status).toBe(400);
  });
});

describe('operational events', () => {
  it('tell the app, and only the app, that its endpoint is gone and its subscription disabled', async () => {
    const events = await alice.send('POST', '/v1/subscriptions', {
      topic: 'portico.subscription-events',
      mode: 'pull',
    });
    expect(events.status).toBe(201);
    const bobEvents = await bob.send('POST', '/v1/subscriptions', {
      topic: 'portico.subscription-events',
      mode: 'pull',
    });
    const gone = await alice.send('POST', '/v1/subscriptions', {
      topic: TOPIC,
      mode: 'webhook',
      url: `${portico().upstreamUrl}/status/410`,
      filter: { orderId: 'o-gone-test' },
    });
    const messageId = await publish({ ...order(), orderId: 'o-gone-test' });
    await deliveryIn(alice, gone.body.subscriptionId, messageId, 'Failed');
    expect((await alice.get(`/v1/subscriptions/${gone.body.subscriptionId}`)).body.state).toBe('disabled');

    // Each pull leases what it returns: gather the events over the pulls.
    const told: { payload: { type: string; subscriptionId: string } }[] = [];
    await eventually(async () => {
      const pulled = await alice.send('POST', `/v1/subscriptions/${events.body.subscriptionId}/pull`, {
        max: 100,
      });
      told.push(
        ...pulled.body.items.filter(
          (p: (typeof told)[number]) => p.payload.subscriptionId === gone.body.subscriptionId,
        ),
      );
      return told.length >= 2 ? true : undefined;
    }, 20_000);
    expect(told.map((t) => t.payload.type).sort()).toEqual(['delivery.exhausted', 'subscription.disabled']);
    const leaked = await bob.send('POST', `/v1/subscriptions/${bobEvents.body.subscriptionId}/pull`, {
      max: 100,
    });
    expect(
      leaked.body.items.filter(
        (p: { payload: { subscriptionId: string } }) => p.payload.subscriptionId === gone.body.subscriptionId,
      ),
    ).toEqual([]);
  });
});

describe("a subscription's own rate", () => {
  it('spreads deliveries over windows instead of sending them all at once', async () => {
    const ids = [1, 2, 3, 4].map((n) => `o-rate-${n}-${Date.now()}`);
    const created = await alice.send('POST', '/v1/subscriptions', {
      topic: TOPIC,
      mode: 'webhook',
      url: receiver(),
      filter: { orderId: ids },
      rateLimit: { limit: 2, windowSeconds: 5 },
    });
    expect(created.status).toBe(201);
    expect(created.body.rateLimit).toEqual({ limit: 2, windowSeconds: 5 });
    const id = created.body.subscriptionId;
    for (const orderId of ids) await publish({ ...order(), orderId });
    const sentTimes = await eventually(async () => {
      const page = await alice.get(`/v1/deliveries?subscriptionId=${id}&status=Sent`);
      return page.body.items.length === 4
        ? page.body.items.map((d: { sentAt: string }) => Date.parse(d.sentAt))
        : undefined;
    }, 30_000);
    // Fixed 5-second windows of 2: the four went out in at least two of them.
    const windows = new Set(sentTimes.map((t: number) => Math.floor(t / 5_000)));
    expect(windows.size).toBeGreaterThanOrEqual(2);
    expect(
      (await alice.send('PATCH', `/v1/subscriptions/${id}`, { rateLimit: { limit: 0, windowSeconds: 5 } }))
        .status,
    ).toBe(400);
  });
});

describe('an ordered subscription', () => {
  it('receives the messages one at a time, in the order they were published', async () => {
    const ids = [1, 2, 3, 4].map((n) => `o-ordered-${n}-${Date.now()}`);
    const created = await alice.send('POST', '/v1/subscriptions', {
      topic: TOPIC,
      mode: 'webhook',
      url: receiver(),
      filter: { orderId: ids },
      ordered: true,
    });
    expect(created.status).toBe(201);
    expect(created.body.ordered).toBe(true);
    const id = created.body.subscriptionId;
    const published: string[] = [];
    for (const orderId of ids) published.push(await publish({ ...order(), orderId }));
    const sent = await eventually(async () => {
      const page = await alice.get(`/v1/deliveries?subscriptionId=${id}&status=Sent`);
      return page.body.items.length === 4 ? page.body.items : undefined;
    }, 30_000);
    const byTime = [...sent].sort(
      (a, b) => Date.parse(a.sentAt) - Date.parse(b.sentAt) || (a.createdAt < b.createdAt ? -1 : 1),
    );
    const byCreation = [...sent].sort((a, b) =>
      a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0,
    );
    expect(byTime.map((d: { messageId: string }) => d.messageId)).toEqual(
      byCreation.map((d: { messageId: string }) => d.messageId),
    );
    expect(
      (await alice.send('POST', '/v1/subscriptions', { topic: TOPIC, mode: 'pull', ordered: true })).status,
    ).toBe(400);
  });

  it('sends a test message to one subscription only, signed, and refuses others’, paused ones and bad payloads', async () => {
    const make = async () =>
      (await alice.send('POST', '/v1/subscriptions', { topic: TOPIC, mode: 'webhook', url: receiver() }))
        .body;
    const target = await make();
    const other = await make();
    const sent = await alice.send('POST', `/v1/subscriptions/${target.subscriptionId}/test`);
    expect(sent.status, sent.text).toBe(202);
    expect(sent.body.messageId).toMatch(/^test_/);
    const delivered = await deliveryIn(alice, target.subscriptionId, sent.body.messageId, 'Sent');
    expect(delivered.deliveryId).toBe(sent.body.deliveryId);
    const detail = await alice.get(`/v1/deliveries/${delivered.deliveryId}`);
    const request = received(detail.body.attemptLog[0]);
    expect(new Webhook(target.secret).verify(request.body, request.headers)).toMatchObject({ type: TOPIC });
    const page = await alice.get(`/v1/deliveries?subscriptionId=${other.subscriptionId}&limit=100`);
    expect(JSON.stringify(page.body)).not.toContain(sent.body.messageId);

    const own = await alice.send('POST', `/v1/subscriptions/${target.subscriptionId}/test`, {
      payload: { orderId: 'o-test', total: 1, currency: 'EUR' },
    });
    expect(own.status, own.text).toBe(202);
    const badPayload = await alice.send('POST', `/v1/subscriptions/${target.subscriptionId}/test`, {
      payload: { orderId: 7 },
    });
    expect(badPayload.status).toBe(400);
    expect((await bob.send('POST', `/v1/subscriptions/${target.subscriptionId}/test`)).status).toBe(404);
    await alice.send('PATCH', `/v1/subscriptions/${target.subscriptionId}`, { state: 'paused' });
    const paused = await alice.send('POST', `/v1/subscriptions/${target.subscriptionId}/test`);
    expect(paused.status).toBe(409);
  });
});
