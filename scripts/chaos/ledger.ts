import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { deliveryKey, messageKey } from '../../shared/messages/adapters/messages-keys.ts';
import { deliveryIdFor } from '../../shared/messages/delivery.ts';

/**
 * Where every (message × subscription) pair the run published stands, read from the messages table
 * (docs/data-model.md): the delivery item (`DLV#<deliveryId>`, `DLV`, `status` Queued / Paused / Sent /
 * Failed; the id is derived from the pair) and, while a pair has none, its message item (`MSG#<id>`).
 *
 * Each pair is counted in exactly one bucket, by what the table shows of it:
 * - delivered: its delivery is Sent;
 * - failed: its delivery is Failed (its schedule was spent);
 * - in flight: its delivery is Queued or Paused, or it has none yet because its message is still on
 *   its way (not stored: on the bus or in the ingest queue) or being fanned out (stored and accepted,
 *   its deliveries not all created yet);
 * - lost: anything else — its message was rejected, or its delivery has another status.
 * So published = delivered + failed + in flight holds at a sample exactly when nothing is lost. On top,
 * a pair once delivered must stay delivered: `regressed` counts those seen otherwise later.
 *
 * The table is read by key (BatchGetItem), never scanned: a scan of a large table stalls the emulator
 * long enough to time out the very workers under test. Each sample reads every pair not yet delivered,
 * plus a rotating share of the delivered ones (to catch a regression); `full` reads them all.
 */
export interface LedgerSample {
  at: number;
  published: number;
  delivered: number;
  failed: number;
  inFlight: number;
  /** The in-flight pairs, by where they are. */
  queued: number;
  paused: number;
  awaitingIngest: number;
  awaitingFanOut: number;
  lost: number;
  /** Pairs delivered at an earlier sample that are not any more. */
  regressed: number;
  /** Delivery items read for this sample. */
  read: number;
  /** How long reading the table took (ms). */
  readMs: number;
  /** published = delivered + failed + inFlight, with nothing lost and nothing regressed. */
  balanced: boolean;
}

interface Pair {
  messageId: string;
  subscriptionId: string;
  deliveryId: string;
  /** Status at the last read; undefined while the pair has no delivery item. */
  status?: string;
  everDelivered: boolean;
}

const BATCH = 100;
/** Delivered pairs re-read per sample, in rotation. */
const RECHECK = 200;

export class Ledger {
  private readonly pairs: Pair[] = [];
  private readonly messages = new Map<string, { topic: string; stored?: string }>();
  private recheckFrom = 0;
  readonly samples: LedgerSample[] = [];

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Records a message the bus accepted (PutEvents gave it an event id), bound for `subscriptions`. */
  recordPublished(messageId: string, topic: string, subscriptions: readonly string[]): void {
    if (this.messages.has(messageId)) return;
    this.messages.set(messageId, { topic });
    for (const subscriptionId of subscriptions) {
      this.pairs.push({
        messageId,
        subscriptionId,
        deliveryId: deliveryIdFor(messageId, subscriptionId),
        everDelivered: false,
      });
    }
  }

  get publishedPairs(): number {
    return this.pairs.length;
  }

  get publishedMessages(): number {
    return this.messages.size;
  }

  /** Reads the pairs that may have moved (all of them with `full`) and classifies every published pair. */
  async sample({ full = false }: { full?: boolean } = {}): Promise<LedgerSample> {
    const started = Date.now();
    const pairs = this.pairs.slice();
    const delivered = pairs.filter((p) => p.status === 'Sent');
    let recheck = delivered;
    if (!full && delivered.length > RECHECK) {
      const from = this.recheckFrom % delivered.length;
      recheck = delivered.slice(from, from + RECHECK);
      this.recheckFrom = from + RECHECK;
    }
    const toRead = pairs.filter((p) => p.status !== 'Sent').concat(recheck);
    const statuses = await this.readItems(
      toRead.map((p) => deliveryKey(p.deliveryId)),
      (item) => String(item.status),
    );
    for (const pair of toRead) pair.status = statuses.get(deliveryKey(pair.deliveryId).pk);
    const unknownMessages = [
      ...new Set(pairs.filter((p) => p.status === undefined).map((p) => p.messageId)),
    ].filter((id) => this.messages.get(id)?.stored === undefined);
    const stored = await this.readItems(
      unknownMessages.map((id) => messageKey(id)),
      (item) => String(item.status),
    );
    for (const id of unknownMessages) {
      const status = stored.get(messageKey(id).pk);
      if (status !== undefined) this.messages.get(id)!.stored = status;
    }

    const sample: LedgerSample = {
      at: started,
      published: pairs.length,
      delivered: 0,
      failed: 0,
      inFlight: 0,
      queued: 0,
      paused: 0,
      awaitingIngest: 0,
      awaitingFanOut: 0,
      lost: 0,
      regressed: 0,
      read: toRead.length,
      readMs: 0,
      balanced: false,
    };
    for (const pair of pairs) {
      if (pair.everDelivered && pair.status !== 'Sent') sample.regressed++;
      switch (pair.status) {
        case 'Sent':
          sample.delivered++;
          pair.everDelivered = true;
          break;
        case 'Failed':
          sample.failed++;
          break;
        case 'Queued':
          sample.queued++;
          break;
        case 'Paused':
          sample.paused++;
          break;
        case undefined: {
          const message = this.messages.get(pair.messageId)!.stored;
          if (message === undefined) sample.awaitingIngest++;
          else if (message === 'Rejected') sample.lost++;
          else sample.awaitingFanOut++;
          break;
        }
        default:
          sample.lost++;
      }
    }
    sample.inFlight = sample.queued + sample.paused + sample.awaitingIngest + sample.awaitingFanOut;
    sample.readMs = Date.now() - started;
    sample.balanced =
      sample.published === sample.delivered + sample.failed + sample.inFlight &&
      sample.lost === 0 &&
      sample.regressed === 0;
    this.samples.push(sample);
    return sample;
  }

  /** Pairs not delivered at the last sample (for the report), at most `limit`. */
  undelivered(limit = 20): { messageId: string; subscriptionId: string; status: string }[] {
    return this.pairs
      .filter((p) => p.status !== 'Sent')
      .slice(0, limit)
      .map((p) => ({
        messageId: p.messageId,
        subscriptionId: p.subscriptionId,
        status: p.status ?? `no delivery (message ${this.messages.get(p.messageId)?.stored ?? 'not stored'})`,
      }));
  }

  /** `value` of each item found, by pk; keys not found are absent. */
  private async readItems(
    keys: { pk: string; sk: string }[],
    value: (item: Record<string, unknown>) => string,
  ): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let i = 0; i < keys.length; i += BATCH) {
      let pending: Record<string, unknown>[] = keys.slice(i, i + BATCH);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 10) throw new Error('BatchGetItem keeps leaving keys unprocessed');
        const { Responses = {}, UnprocessedKeys = {} } = await this.db.send(
          new BatchGetCommand({
            RequestItems: {
              [this.table]: {
                Keys: pending,
                ProjectionExpression: 'pk, #status',
                ExpressionAttributeNames: { '#status': 'status' },
                ConsistentRead: true,
              },
            },
          }),
        );
        for (const item of Responses[this.table] ?? []) found.set(String(item.pk), value(item));
        pending = (UnprocessedKeys[this.table]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return found;
  }
}
