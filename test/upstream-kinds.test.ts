import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_LAMBDA_API } from '../local/seed.ts';
import { putApi, registerApi } from './support/apis.ts';
import { as } from './support/http.ts';
import { adminToken, demoToken } from './support/oauth.ts';
import { aws, portico, uniqueName } from './support/platform.ts';

/**
 * Lambda and asynchronous upstreams against the local runtime: the sample orders function of the CDK
 * app (functions/samples/orders.ts), invoked through the runtime's Lambda Invoke endpoint, and a queue
 * of the emulator.
 */
const FUNCTION = 'portico-internal-orders';

let admin: string;
let caller: ReturnType<typeof as>;

beforeAll(async () => {
  admin = await adminToken();
  caller = as(await demoToken());
});

const problemType = (body: { type?: string }) => body.type?.replace('urn:portico:problem:', '');

describe('Lambda upstreams', () => {
  it('serve the sample function through the gateway, with the verified identity', async () => {
    const name = await registerApi(admin, uniqueName('lambda-orders'), { upstreams: [{ lambda: FUNCTION }] });
    const orders = await caller.get(`/apis/${name}/orders`);
    expect(orders.status, orders.text).toBe(200);
    expect(orders.body.items.map((o: { id: string }) => o.id)).toEqual(['o-1001', 'o-1002']);

    const created = await caller.send('POST', `/apis/${name}/orders`, { item: 'tea', quantity: 3 });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ item: 'tea', quantity: 3 });

    const seeded = await caller.get(`/apis/${SAMPLE_LAMBDA_API}/orders/o-1002`);
    expect(seeded.status, seeded.text).toBe(200);
    expect(seeded.body).toMatchObject({ id: 'o-1002', item: 'milk frother' });

    const me = await caller.get(`/apis/${name}/whoami?x=1`);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      appId: portico().demo.appId,
      identityToken: true,
      traceparent: expect.stringMatching(/^00-/),
      query: { x: '1' },
    });
  });

  it('answer 504 upstream-timeout when the function outlasts the API timeout', async () => {
    const name = await registerApi(admin, uniqueName('lambda-slow'), {
      upstreams: [{ lambda: FUNCTION }],
      timeoutMs: 500,
    });
    const started = Date.now();
    const late = await caller.get(`/apis/${name}/slow?ms=2500`);
    expect(late.status, late.text).toBe(504);
    expect(problemType(late.body)).toBe('upstream-timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('answer 502 for a function error, and 503 circuit-open once the breaker opens', async () => {
    const name = await registerApi(admin, uniqueName('lambda-fail'), {
      upstreams: [{ lambda: FUNCTION }],
      circuitBreaker: { consecutiveFailures: 2, openBaseMs: 60_000 },
    });
    for (let i = 0; i < 2; i++) {
      const failed = await caller.get(`/apis/${name}/fail`);
      expect(failed.status, failed.text).toBe(502);
      expect(problemType(failed.body)).toBe('bad-gateway');
      expect(failed.text).not.toContain('on purpose');
    }
    const refused = await caller.get(`/apis/${name}/orders`);
    expect(refused.status, refused.text).toBe(503);
    expect(problemType(refused.body)).toBe('circuit-open');
  });

  it('are refused on write unless the function carries the allowed prefix', async () => {
    const refused = await putApi(admin, uniqueName('lambda-other'), {
      upstreams: [{ lambda: 'billing-internal' }],
      timeoutMs: 1000,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      {
        pointer: '/upstreams/0/lambda',
        message: 'must name a function whose name starts with "portico-internal-"',
      },
    ]);
  });
});

describe('asynchronous upstreams', () => {
  const queue = uniqueName('portico-internal-intake');
  let queueUrl: string;

  beforeAll(async () => {
    queueUrl = (await aws().sqs.send(new CreateQueueCommand({ QueueName: queue }))).QueueUrl!;
  });
  afterAll(async () => {
    await aws().sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  });

  it('hand the request to the queue and answer 202 with a tracking id', async () => {
    const name = await registerApi(admin, uniqueName('async-intake'), { upstreams: [{ queue }] });
    const accepted = await caller.send('POST', `/apis/${name}/orders?priority=high`, { item: 'tea' });
    expect(accepted.status, accepted.text).toBe(202);
    const { trackingId } = accepted.body;
    expect(trackingId).toEqual(expect.any(String));
    expect(accepted.headers.get('x-portico-tracking-id')).toBe(trackingId);

    const received = await aws().sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 2,
        MessageAttributeNames: ['All'],
      }),
    );
    expect(received.Messages).toHaveLength(1);
    const [message] = received.Messages!;
    expect(message!.MessageAttributes?.['portico-tracking-id']?.StringValue).toBe(trackingId);
    expect(JSON.parse(message!.Body!)).toMatchObject({
      version: '1',
      trackingId,
      api: name,
      caller: { appId: portico().demo.appId },
      request: {
        method: 'POST',
        path: '/orders',
        rawQueryString: 'priority=high',
        body: '{"item":"tea"}',
        isBase64Encoded: false,
        headers: expect.objectContaining({ 'x-portico-app-id': portico().demo.appId }),
      },
    });
  });

  it('answer 503 and send nothing when the queue is gone', async () => {
    const missing = uniqueName('portico-internal-missing');
    const name = await registerApi(admin, uniqueName('async-missing'), { upstreams: [{ queue: missing }] });
    const refused = await caller.send('POST', `/apis/${name}/orders`, { item: 'tea' });
    expect(refused.status, refused.text).toBe(503);
    expect(problemType(refused.body)).toBe('service-unavailable');
  });
});
