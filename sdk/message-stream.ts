/**
 * Receives an app's messages over Portico's message stream (a WebSocket) and acknowledges them
 * (Node.js 20+, with the `ws` package). See sdk/README.md and docs/messages.md.
 */
import WebSocket from 'ws';

/** One delivery as the stream pushes it; acknowledge `deliveryId` (the same on every push of it). */
export interface StreamMessage {
  type: 'message';
  deliveryId: string;
  subscriptionId: string;
  messageId: string;
  topic: string;
  publishedAt: string;
  payload: unknown;
  /** 1 on the first push; higher when it came again (not acknowledged in time, or pulled meanwhile). */
  attempt: number;
}

export interface MessageStreamOptions {
  /** The stream's URL: the `MessageStreamUrl` output (`wss://…/v1`); locally `webSocketUrl` in local.json. */
  url: string;
  /** The app's access token, or a function giving a current one (called for every connection). */
  token: string | (() => Promise<string>);
  /** Receive this websocket subscription only; by default every websocket subscription of the app. */
  subscriptionId?: string;
  /**
   * Called for each message. When it resolves the message is acknowledged (unless `autoAck` is false);
   * when it throws it is not, and the platform pushes it again later (or you pull it).
   */
  onMessage: (message: StreamMessage) => unknown;
  /** Acknowledge each message once `onMessage` resolved (default); false: call `ack` yourself. */
  autoAck?: boolean;
  /** A `ping` this often keeps the connection under API Gateway's 10-minute idle limit (default 5 min). */
  heartbeatMs?: number;
  /** Reconnection after a dropped connection: first delay, doubling up to the maximum (with jitter). */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number } | false;
  /** Failures that do not stop the stream: error frames, a handler that threw, a dropped connection. */
  onError?: (error: Error) => void;
}

/** The platform refused the connection (`status`: 401 bad token, 403 sandbox, 404/409 no such subscription). */
export class MessageStreamRefused extends Error {
  override name = 'MessageStreamRefused';
  constructor(readonly status: number) {
    super(`The message stream refused the connection with status ${status}`);
  }
}

/** An error frame the platform sent (`code` as in problem types, e.g. `validation-failed`). */
export class MessageStreamError extends Error {
  override name = 'MessageStreamError';
  constructor(
    readonly code: string,
    detail: string | undefined,
  ) {
    super(detail ?? code);
  }
}

const DEFAULT_HEARTBEAT_MS = 5 * 60_000;
/** API Gateway waits this long for an acknowledgement before a push counts as not received. */
const RESUME_AGAIN_MS = 30_000;
const MAX_ACK_IDS = 100;

/**
 * A connection to the message stream that stays open: it sends `resume` once open (the backlog that
 * waited while nobody was connected is pushed), pings under the idle limit, acknowledges what the
 * handler took, and reconnects with backoff when the connection drops (API Gateway closes every
 * connection after 2 hours). A refusal at connect (a bad token, an unknown subscription) stops it,
 * except a 401 when `token` is a function (the next attempt gets a fresh token).
 */
export class MessageStream {
  #socket: WebSocket | undefined;
  #closing = false;
  #failures = 0;
  #heartbeat: NodeJS.Timeout | undefined;
  #retry: NodeJS.Timeout | undefined;
  #resume: NodeJS.Timeout | undefined;
  #pendingAcks: string[] = [];
  #ackFlush: NodeJS.Immediate | undefined;

  constructor(private readonly options: MessageStreamOptions) {}

  /** Connects; resolves once the first connection is open, rejects with MessageStreamRefused if refused. */
  start(): Promise<void> {
    this.#closing = false;
    return this.#connect();
  }

  /** Acknowledges deliveries (when `autoAck` is false, or for messages you kept for later). */
  ack(deliveryIds: readonly string[]): void {
    this.#pendingAcks.push(...deliveryIds);
    this.#ackFlush ??= setImmediate(() => this.#flushAcks());
  }

  /** Closes the connection for good; acknowledgements not yet sent are sent first. */
  async close(): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#retry);
    clearTimeout(this.#resume);
    this.#flushAcks();
    const socket = this.#socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.close(1000);
    });
  }

  async #connect(): Promise<void> {
    const { token, subscriptionId } = this.options;
    const bearer = typeof token === 'string' ? token : await token();
    const url = new URL(this.options.url);
    if (subscriptionId) url.searchParams.set('subscription', subscriptionId);
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${bearer}` } });
    this.#socket = socket;
    return new Promise<void>((resolve, reject) => {
      let opened = false;
      socket.on('unexpected-response', (_request, response) => {
        const status = response.statusCode ?? 0;
        response.resume();
        socket.terminate();
        const refusal = new MessageStreamRefused(status);
        const retryable = status >= 500 || status === 429 || (status === 401 && typeof token !== 'string');
        if (!retryable) {
          this.#closing = true;
          if (!opened) reject(refusal);
          else this.#report(refusal);
        }
      });
      socket.on('open', () => {
        opened = true;
        this.#failures = 0;
        this.#send({ action: 'resume' });
        this.#heartbeat = setInterval(
          () => this.#send({ action: 'ping' }),
          this.options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
        );
        this.#flushAcks();
        resolve();
      });
      socket.on('message', (data) => void this.#received(data.toString()));
      socket.on('error', (error) => {
        if (!opened && this.#closing) return;
        this.#report(error);
      });
      socket.on('close', () => {
        clearInterval(this.#heartbeat);
        clearTimeout(this.#resume);
        if (this.#socket !== socket || this.#closing) return;
        this.#scheduleReconnect(opened ? undefined : { resolve, reject });
      });
    });
  }

  /** `first`: the outcome of `start()`, still pending while no connection has opened yet. */
  #scheduleReconnect(first?: { resolve: () => void; reject: (error: Error) => void }) {
    if (this.options.reconnect === false) {
      this.#closing = true;
      first?.reject(new Error('The message stream could not connect'));
      return;
    }
    const { initialDelayMs = 1_000, maxDelayMs = 60_000 } = this.options.reconnect ?? {};
    const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** this.#failures);
    this.#failures++;
    this.#retry = setTimeout(
      () => {
        this.#connect().then(first?.resolve, (error: Error) => {
          if (first) first.reject(error);
          else this.#report(error);
        });
      },
      delay / 2 + Math.random() * (delay / 2),
    );
  }

  async #received(text: string) {
    let frame: { type?: string } & Record<string, unknown>;
    try {
      frame = JSON.parse(text);
    } catch {
      return this.#report(
        new MessageStreamError('malformed-frame', 'The stream sent a frame that is not JSON'),
      );
    }
    if (frame.type === 'message') {
      const message = frame as unknown as StreamMessage;
      try {
        await this.options.onMessage(message);
        if (this.options.autoAck !== false) this.ack([message.deliveryId]);
      } catch (error) {
        this.#report(error as Error);
      }
    } else if (frame.type === 'error') {
      this.#report(new MessageStreamError(String(frame.code), frame.detail as string | undefined));
    } else if (frame.type === 'resumed' && frame.more) {
      // More backlog than one resume queues: ask again once what was queued had its chance.
      this.#resume = setTimeout(() => this.#send({ action: 'resume' }), RESUME_AGAIN_MS);
    }
  }

  #flushAcks() {
    clearImmediate(this.#ackFlush);
    this.#ackFlush = undefined;
    if (this.#socket?.readyState !== WebSocket.OPEN) return;
    while (this.#pendingAcks.length > 0) {
      this.#send({ action: 'ack', deliveryIds: [...new Set(this.#pendingAcks.splice(0, MAX_ACK_IDS))] });
    }
  }

  #send(frame: object) {
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(frame));
  }

  #report(error: Error) {
    this.options.onError?.(error);
  }
}
