import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClients } from '../local/aws.ts';
import type { Emulator } from '../local/emulator.ts';
import { clientToken, createWebhookSubscription } from '../scripts/chaos/platform-api.ts';
import { ChaosReceiver } from '../scripts/chaos/receivers.ts';
import { deliveryIdFor } from '../shared/messages/delivery.ts';
import { startExternalEmulator } from './support/moto.ts';
import { type RuntimeProcess, startRuntimeProcess } from './support/runtime-process.ts';
import { eventually, sleep } from './support/wait.ts';

const MESSAGES = 'portico-MessagesTable';
const IDENTITY = 'portico-IdentityTable';

/**
 * `npm start` against an emulator that outlives it (AWS_ENDPOINT_URL), killed with SIGKILL while a
 * webhook delivery hangs at its receiver, and started again: nothing is provisioned or seeded twice,
 * and the delivery that was in flight, and one published while the runtime was down, both reach Sent —
 * well within the delivery queue's 180 s visibility timeout, because the new runtime hands back the
 * queue messages its killed predecessor held.
 */
describe('restarting the local runtime against a persistent emulator', () => {
  let emulator: Emulator;
  let stateDir: string;
  let runtime: RuntimeProcess | undefined;
  const receiver = new ChaosReceiver('restart', 60_000);
  const start = () => startRuntimeProcess({ AWS_ENDPOINT_URL: emulator.endpoint }, undefined, { stateDir });

  beforeAll(async () => {
    emulator = await startExternalEmulator();
    stateDir = mkdtempSync(path.join(tmpdir(), 'portico-restart-'));
    await receiver.start();
  });

  afterAll(async () => {
    await runtime?.stop();
    await receiver.stop();
    await emulator?.stop();
  });

  it('reprovisions idempotently, seeds nothing twice and resumes in-flight deliveries after SIGKILL', async () => {
    const aws = localClients(emulator.endpoint);
    const apps = async () => {
      const { Items = [] } = await aws.document.send(
        new ScanCommand({
          TableName: IDENTITY,
          FilterExpression: 'begins_with(pk, :app) AND sk = :sk',
          ExpressionAttributeValues: { ':app': 'APP#', ':sk': 'APP' },
        }),
      );
      return Items.map((i) => i.appId as string).sort();
    };
    const subscriptionsOf = async (topic: string) => {
      const { Items = [] } = await aws.document.send(
        new QueryCommand({
          TableName: MESSAGES,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sub)',
          ExpressionAttributeValues: { ':pk': `TOPIC#${topic}`, ':sub': 'SUB#' },
        }),
      );
      return Items.map((i) => i.subscriptionId as string).sort();
    };
    const status = async (deliveryId: string) => {
      const { Item } = await aws.document.send(
        new GetCommand({
          TableName: MESSAGES,
          Key: { pk: `DLV#${deliveryId}`, sk: 'DLV' },
          ConsistentRead: true,
        }),
      );
      return Item?.status as string | undefined;
    };
    const publish = async (orderId: string) => {
      const { Entries = [] } = await aws.events.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: 'portico',
              Source: 'biz.orders',
              DetailType: first.info.webhook.topic,
              Detail: JSON.stringify({ orderId, total: 10, currency: 'EUR' }),
            },
          ],
        }),
      );
      return Entries[0]!.EventId!;
    };

    const first = await start();
    runtime = first;
    const topic = first.info.webhook.topic;
    const { baseUrl, demo } = first.info;

    // A subscription of the demo app whose receiver holds the first request without answering.
    receiver.mix = { error: 0, reset: 0, hang: 1 };
    const created = await createWebhookSubscription(
      baseUrl,
      await clientToken(baseUrl, demo.clientId, demo.clientSecret),
      {
        topic,
        url: receiver.url,
        retrySchedule: [0, 1, 2, 5],
      },
    );
    receiver.secret = created.secret;
    const appsBefore = await apps();
    const subscriptionsBefore = await subscriptionsOf(topic);
    expect(subscriptionsBefore).toEqual([created.subscriptionId, first.info.webhook.subscriptionId].sort());

    const inFlight = await publish(`o-inflight-${Date.now()}`);
    await eventually(async () => (receiver.totals.requests > 0 ? true : undefined), 20_000, {
      message: 'the receiver never got the delivery',
    });
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    runtime = undefined;
    receiver.mix = { error: 0, reset: 0, hang: 0 };
    // Published while nothing runs: it waits in the emulator's queues. Not at once: the emulator still
    // serves the dead runtime's long polls (1 s) for a moment, and a message handed to one of those
    // would only come back after the ingest queue's visibility timeout (60 s), as it would in AWS.
    await sleep(2_000);
    const whileDown = await publish(`o-down-${Date.now()}`);

    const second = await start();
    runtime = second;
    expect(second.info.awsEndpoint).toBe(emulator.endpoint);
    expect(second.info.admin).toEqual(first.info.admin);
    expect(second.info.demo).toEqual(first.info.demo);
    expect(second.info.publisher).toEqual(first.info.publisher);
    expect(second.info.webhook).toEqual(first.info.webhook);
    expect(second.info.upstreamUrl).toBe(first.info.upstreamUrl);
    expect(await apps()).toEqual(appsBefore);
    expect(await subscriptionsOf(topic)).toEqual(subscriptionsBefore);

    const resumedIn = Date.now();
    const ours = [inFlight, whileDown].map((m) => deliveryIdFor(m, created.subscriptionId));
    const demos = [inFlight, whileDown].map((m) => deliveryIdFor(m, first.info.webhook.subscriptionId));
    let last: (string | undefined)[] = [];
    await eventually(async () => {
      last = await Promise.all([...ours, ...demos].map(status));
      return last.every((s) => s === 'Sent') ? true : undefined;
    }, 45_000).catch((error: Error) => {
      throw new Error(
        `${error.message}: ${JSON.stringify(last)} (ours, then the demo's)\n${readFileSync(second.logFile, 'utf8').slice(-3000)}`,
      );
    });
    const resumedMs = Date.now() - resumedIn;
    console.log(`deliveries resumed ${resumedMs} ms after the restarted runtime was ready`);
    expect(resumedMs).toBeLessThan(60_000);
    expect(readFileSync(second.logFile, 'utf8')).toMatch(/handed back \d+ queue message/);

    // The hung request and its retry carried the same webhook-id, and every request verified.
    expect(receiver.deliveries.get(ours[0]!)).toMatchObject({ successes: 1 });
    expect(receiver.deliveries.get(ours[0]!)!.requests).toBeGreaterThanOrEqual(2);
    expect(receiver.deliveries.get(ours[1]!)).toMatchObject({ successes: 1, requests: 1 });
    expect(receiver.totals.verificationFailures).toBe(0);
  }, 180_000);
});
