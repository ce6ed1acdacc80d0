import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWebhookSecret, signWebhook } from '../shared/messages/webhook-signature.ts';
import { parseTarget, startDemoUpstream } from './demo-upstream.ts';
import { abortMidBody, parseResponse, rawExchange, request, watchEscapedErrors } from './test-support.ts';

watchEscapedErrors();

describe('parseTarget', () => {
  it.each([
    ['/', '/', {}],
    ['//', '//', {}],
    ['///', '///', {}],
    ['///x', '///x', {}],
    ['//x//y', '//x//y', {}],
    ['//evil.example/x?a=1', '//evil.example/x', { a: '1' }],
    ['/a/../b', '/a/../b', {}],
    ['/p?x=%20y&z', '/p', { x: ' y', z: '' }],
    ['/p?a=%zz', '/p', { a: '%zz' }],
    ['/p#frag?no', '/p', {}],
    ['*', '*', {}],
  ])('%s', (target, path, query) => {
    expect(parseTarget(target)).toEqual({ path, query });
  });
});

describe('the demo upstream', () => {
  let upstream: Awaited<ReturnType<typeof startDemoUpstream>>;
  let port: number;
  const logged: string[] = [];
  beforeAll(async () => {
    upstream = await startDemoUpstream(0, (line) => void logged.push(line));
    port = Number(new URL(upstream.url).port);
  });
  afterAll(() => upstream.close());

  it.each(['//', '///', '///x', '//x//y?a=1'])('echoes %s as received', async (target) => {
    const answer = await request(port, target);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ path: parseTarget(target).path });
  });

  it('answers /status/{code} with that code, and refuses codes HTTP does not have', async () => {
    expect((await request(port, '/status/503')).status).toBe(503);
    expect((await request(port, '/status/000')).status).toBe(400);
    expect((await request(port, '/status/099')).status).toBe(400);
    expect((await request(port, '/x')).status).toBe(200);
  });

  it('echoes a UTF-8 body as text and any other as base64', async () => {
    const text = await request(port, '/x', { method: 'POST', body: '{"name":"Zoë"}' });
    expect(JSON.parse(text.body)).toMatchObject({ body: '{"name":"Zoë"}' });
    const bytes = Buffer.from([0x7b, 0xff, 0x7d]);
    const binary = JSON.parse((await request(port, '/x', { method: 'POST', body: bytes })).body);
    expect(binary.body).toBeUndefined();
    expect(Buffer.from(binary.bodyBase64, 'base64').equals(bytes)).toBe(true);
  });

  it('survives a client that goes away mid-body, and logs it', async () => {
    await abortMidBody(port, '/x');
    await new Promise((r) => setTimeout(r, 20));
    expect(logged.some((line) => line.includes('POST /x failed'))).toBe(true);
    expect((await request(port, '/x')).status).toBe(200);
  });

  it('answers a request the parser refuses with problem+json', async () => {
    const answer = parseResponse(
      await rawExchange(
        port,
        'POST /x HTTP/1.1\r\nhost: x\r\ncontent-length: 1\r\ntransfer-encoding: chunked\r\n\r\n',
      ),
    );
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect((await request(port, '/x')).status).toBe(200);
  });

  it('keeps the webhooks it receives, newest first, with the verdict on each signature', async () => {
    const secret = generateWebhookSecret();
    const send = (id: string, secrets: string[], body = `{"type":"t","data":{"n":"${id}"}}`) =>
      request(port, '/webhooks/t', {
        method: 'POST',
        headers: {
          ...signWebhook({ id, timestamp: Math.floor(Date.now() / 1000), body }, secrets),
          'webhook-message-id': `m-${id}`,
          'content-type': 'application/json',
        },
        body,
      });
    await send('before-trust', [secret]);
    upstream.inbox.trust(secret);
    await send('good', [secret]);
    await send('forged', [generateWebhookSecret()]);
    await request(port, '/webhooks/t', { method: 'POST', body: '{}' });

    const { received } = JSON.parse((await request(port, '/webhooks')).body);
    expect(
      received.map((r: { deliveryId: string; signature: string }) => [r.deliveryId, r.signature]),
    ).toEqual([
      ['forged', 'bad-signature'],
      ['good', 'verified'],
      ['before-trust', 'no-secret'],
    ]);
    expect(received[1]).toMatchObject({
      messageId: 'm-good',
      path: '/webhooks/t',
      payload: { data: { n: 'good' } },
    });
    expect(
      logged.some((line) => line.includes('webhook good (message m-good)') && line.endsWith('verified')),
    ).toBe(true);
  });
});
