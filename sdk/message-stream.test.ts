import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { MessageStream, MessageStreamRefused, type StreamMessage } from './message-stream.ts';

/** A stand-in for the platform's stream: records what clients send; `refuse` answers the upgrade instead. */
async function fakeStream(options: { refuse?: number } = {}) {
  const server = http.createServer();
  const sockets = new WebSocketServer({ noServer: true });
  const received: Record<string, unknown>[] = [];
  const authorizations: (string | undefined)[] = [];
  const urls: string[] = [];
  const open: WebSocket[] = [];
  server.on('upgrade', (req, socket, head) => {
    authorizations.push(req.headers.authorization);
    urls.push(req.url ?? '');
    if (options.refuse) {
      socket.end(`HTTP/1.1 ${options.refuse} Refused\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      open.push(ws);
      ws.on('message', (data) => received.push(JSON.parse(data.toString())));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return {
    url,
    received,
    authorizations,
    urls,
    open,
    push: (message: Partial<StreamMessage>) =>
      open.at(-1)!.send(JSON.stringify({ type: 'message', attempt: 1, ...message })),
    close: async () => {
      for (const ws of open) ws.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const until = async (check: () => boolean, ms = 3_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('MessageStream', () => {
  it('connects with the token, resumes, and acknowledges what the handler took', async () => {
    const platform = await fakeStream();
    cleanups.push(platform.close);
    const seen: string[] = [];
    const stream = new MessageStream({
      url: platform.url,
      token: async () => 'tok-1',
      subscriptionId: 'sub_abc',
      onMessage: async (m) => {
        seen.push(m.deliveryId);
        if (m.deliveryId === 'msg_bad') throw new Error('cannot handle it');
      },
      onError: () => undefined,
    });
    cleanups.push(() => stream.close());
    await stream.start();
    expect(platform.authorizations).toEqual(['Bearer tok-1']);
    expect(platform.urls).toEqual(['/v1?subscription=sub_abc']);
    await until(() => platform.received.length > 0);
    expect(platform.received[0]).toEqual({ action: 'resume' });

    platform.push({ deliveryId: 'msg_one' });
    platform.push({ deliveryId: 'msg_bad' });
    platform.push({ deliveryId: 'msg_two' });
    await until(() => seen.length === 3 && platform.received.some((f) => f.action === 'ack'));
    await new Promise((r) => setTimeout(r, 50));
    const acked = platform.received
      .filter((f) => f.action === 'ack')
      .flatMap((f) => f.deliveryIds as string[]);
    expect(acked.sort()).toEqual(['msg_one', 'msg_two']);
  });

  it('leaves acknowledging to the app when autoAck is off', async () => {
    const platform = await fakeStream();
    cleanups.push(platform.close);
    const messages: StreamMessage[] = [];
    const stream = new MessageStream({
      url: platform.url,
      token: 'tok',
      autoAck: false,
      onMessage: (m) => void messages.push(m),
    });
    cleanups.push(() => stream.close());
    await stream.start();
    platform.push({ deliveryId: 'msg_kept' });
    await until(() => messages.length === 1);
    await new Promise((r) => setTimeout(r, 30));
    expect(platform.received.filter((f) => f.action === 'ack')).toEqual([]);
    stream.ack(['msg_kept']);
    await until(() => platform.received.some((f) => f.action === 'ack'));
    expect(platform.received.at(-1)).toEqual({ action: 'ack', deliveryIds: ['msg_kept'] });
  });

  it('pings on its heartbeat', async () => {
    const platform = await fakeStream();
    cleanups.push(platform.close);
    const stream = new MessageStream({ url: platform.url, token: 't', heartbeatMs: 20, onMessage: () => {} });
    cleanups.push(() => stream.close());
    await stream.start();
    await until(() => platform.received.filter((f) => f.action === 'ping').length >= 2);
  });

  it('reconnects with a fresh token when the platform drops the connection, and resumes again', async () => {
    const platform = await fakeStream();
    cleanups.push(platform.close);
    let issued = 0;
    const stream = new MessageStream({
      url: platform.url,
      token: async () => `tok-${++issued}`,
      reconnect: { initialDelayMs: 10, maxDelayMs: 20 },
      onMessage: () => {},
      onError: () => undefined,
    });
    cleanups.push(() => stream.close());
    await stream.start();
    platform.open[0]!.close(1001, 'Going away');
    await until(() => platform.open.length === 2);
    expect(platform.authorizations).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    await until(() => platform.received.filter((f) => f.action === 'resume').length === 2);
  });

  it('stops on a refusal: start() rejects with its status and nothing reconnects', async () => {
    const platform = await fakeStream({ refuse: 403 });
    cleanups.push(platform.close);
    const stream = new MessageStream({
      url: platform.url,
      token: 'sandbox-token',
      reconnect: { initialDelayMs: 5 },
      onMessage: () => {},
    });
    const refusal = await stream.start().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(MessageStreamRefused);
    expect((refusal as MessageStreamRefused).status).toBe(403);
    await new Promise((r) => setTimeout(r, 60));
    expect(platform.authorizations).toHaveLength(1);
  });
});
