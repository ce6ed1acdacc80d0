import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { WEBHOOK_USER_AGENT } from '../../shared/messages/adapters/webhook-sender.ts';

/** How a receiver answers one request: 2xx, a 5xx, a reset connection, or no answer at all. */
export type Answer = 'ok' | 'error' | 'reset' | 'hang';

/** The share of each failing answer while failures are on (the rest succeed). */
export interface FailureMix {
  error: number;
  reset: number;
  hang: number;
}

export const failureRate = (mix: FailureMix): number => mix.error + mix.reset + mix.hang;

/** What one webhook id (one delivery) went through at its receiver. */
interface DeliveryRecord {
  requests: number;
  /** 2xx answers written in full. */
  successes: number;
  /** When the first 2xx was written (epoch ms). */
  succeededAt?: number;
  /** The sender generation of the connection the first 2xx went out on (see `ChaosReceiver.generation`). */
  succeededIn?: number;
  /** Requests that came after a 2xx for the same id: the duplicates a receiver must deduplicate. */
  afterSuccess: number;
  messageId: string;
}

export interface ReceiverTotals {
  requests: number;
  answered: Record<Answer, number>;
  verified: number;
  verificationFailures: number;
  /**
   * Requests that are not deliveries at all (another sender's user agent, e.g. a health probe of a port
   * an earlier test's server had): answered 404 and counted apart from the deliveries.
   */
  strays: number;
  /** Distinct webhook ids that got at least one 2xx. */
  succeeded: number;
  duplicates: number;
}

const ERROR_STATUSES = [500, 502, 503, 504];

/**
 * One subscription's endpoint on 127.0.0.1: checks every request with the `standardwebhooks` package
 * against the subscription's secret (over the raw body bytes), and answers as the failure mix draws.
 * A hanging answer is held until the sender gives up (by default it times out at 15 s), then the socket is
 * closed.
 */
export class ChaosReceiver {
  readonly deliveries = new Map<string, DeliveryRecord>();
  readonly totals: ReceiverTotals = {
    requests: 0,
    answered: { ok: 0, error: 0, reset: 0, hang: 0 },
    verified: 0,
    verificationFailures: 0,
    strays: 0,
    succeeded: 0,
    duplicates: 0,
  };
  readonly failures: string[] = [];
  /**
   * Each request that came after a 2xx for its webhook id: when, how long after that 2xx, and whether
   * the two came from different generations of the sender (a kill fell between them).
   */
  readonly duplicateLog: { id: string; at: number; afterMs: number; acrossKill: boolean }[] = [];
  /**
   * Raised just before the sender is killed. A connection is of the generation current when it was
   * accepted, so a request the killed sender made is told apart from the restarted one's by its
   * connection, not by when this process got round to answering it (which can be after the kill).
   */
  generation = 0;
  private readonly generations = new WeakMap<object, number>();
  /** Set once the subscription exists: requests before that cannot be checked and are refused. */
  secret: string | undefined;
  mix: FailureMix = { error: 0, reset: 0, hang: 0 };
  private readonly server: http.Server;
  private readonly hanging = new Set<http.ServerResponse>();
  url = '';

  constructor(
    readonly name: string,
    private readonly hangMs = 16_000,
    private readonly random: () => number = Math.random,
  ) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks)));
      req.on('error', () => res.destroy());
    });
    this.server.on('connection', (socket) => this.generations.set(socket, this.generation));
    this.server.keepAliveTimeout = 5_000;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/${this.name}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private draw(): Answer {
    const roll = this.random();
    const { error, reset, hang } = this.mix;
    if (roll < error) return 'error';
    if (roll < error + reset) return 'reset';
    if (roll < error + reset + hang) return 'hang';
    return 'ok';
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : (value ?? '');
    };
    if (header('user-agent') !== WEBHOOK_USER_AGENT) {
      this.totals.strays++;
      this.note(`not a delivery: ${req.method} ${req.url} from ${header('user-agent') || '(no user agent)'}`);
      res.writeHead(404).end();
      return;
    }
    this.totals.requests++;
    const id = header('webhook-id');
    if (!this.secret) {
      this.note(`request ${id || '(no id)'} before the subscription's secret was known`);
      res.writeHead(503).end();
      return;
    }
    try {
      // The raw bytes as received: a receiver that re-serialised the JSON would fail here.
      new Webhook(this.secret).verify(body.toString('utf8'), {
        'webhook-id': id,
        'webhook-timestamp': header('webhook-timestamp'),
        'webhook-signature': header('webhook-signature'),
      });
      this.totals.verified++;
    } catch (error) {
      this.totals.verificationFailures++;
      this.note(`webhook ${id}: ${(error as Error).message}`);
      // Answered like any failure; the ledger reports it.
      res.writeHead(400).end();
      return;
    }
    const record = this.deliveries.get(id) ?? {
      requests: 0,
      successes: 0,
      afterSuccess: 0,
      messageId: header('webhook-message-id'),
    };
    this.deliveries.set(id, record);
    record.requests++;
    const generation = this.generations.get(req.socket) ?? this.generation;
    if (record.successes > 0) {
      record.afterSuccess++;
      this.totals.duplicates++;
      const now = Date.now();
      if (this.duplicateLog.length < 1_000) {
        this.duplicateLog.push({
          id,
          at: now,
          afterMs: now - (record.succeededAt ?? now),
          acrossKill: record.succeededIn !== generation,
        });
      }
    }
    const answer = this.draw();
    this.totals.answered[answer]++;
    switch (answer) {
      case 'ok':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok', () => {
          if (record.successes++ === 0) {
            this.totals.succeeded++;
            record.succeededAt = Date.now();
            record.succeededIn = generation;
          }
        });
        return;
      case 'error':
        res.writeHead(ERROR_STATUSES[Math.floor(this.random() * ERROR_STATUSES.length)]!).end();
        return;
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'hang': {
        this.hanging.add(res);
        const timer = setTimeout(() => {
          this.hanging.delete(res);
          res.destroy();
        }, this.hangMs);
        res.on('close', () => {
          clearTimeout(timer);
          this.hanging.delete(res);
        });
        return;
      }
    }
  }

  private note(line: string): void {
    if (this.failures.length < 20) this.failures.push(line);
  }
}

/** Sums the receivers' figures. */
export function receiverTotals(receivers: readonly ChaosReceiver[]): ReceiverTotals {
  const sum: ReceiverTotals = {
    requests: 0,
    answered: { ok: 0, error: 0, reset: 0, hang: 0 },
    verified: 0,
    verificationFailures: 0,
    strays: 0,
    succeeded: 0,
    duplicates: 0,
  };
  for (const { totals } of receivers) {
    sum.requests += totals.requests;
    sum.verified += totals.verified;
    sum.verificationFailures += totals.verificationFailures;
    sum.strays += totals.strays;
    sum.succeeded += totals.succeeded;
    sum.duplicates += totals.duplicates;
    for (const answer of Object.keys(sum.answered) as Answer[])
      sum.answered[answer] += totals.answered[answer];
  }
  return sum;
}
