import { type Delivery, hold } from './delivery.ts';
import type {
  ConnectionPusher,
  ConnectionStore,
  DeliveryStore,
  MessageStore,
  SubscriptionStore,
} from './ports.ts';
import { DEFAULT_RETRY_SCHEDULE } from './retry-schedule.ts';
import { ACK_TIMEOUT_MS, messageFrame, offerOrder, pushDecision, withdrawPush } from './stream-push.ts';

export interface StreamDeliverDeps {
  deliveries: Pick<DeliveryStore, 'get' | 'save'>;
  subscriptions: Pick<SubscriptionStore, 'get'>;
  messages: Pick<MessageStore, 'get'>;
  connections: Pick<ConnectionStore, 'listeners' | 'remove'>;
  pusher: ConnectionPusher;
  clock: () => number;
  ackTimeoutMs?: number;
}

export type StreamDeliverResult =
  /** Nothing to do: unknown, no longer Queued, or its subscription is gone or not a websocket one. */
  | { result: 'skipped' }
  /** The subscription is paused or disabled: the delivery is held until it resumes. */
  | { result: 'held' }
  /** Leased (a push awaiting its ack, or a pull) or its next push is later: look again at `dueAt`. */
  | { result: 'not-due'; dueAt: number }
  /** Sent to a connection and leased until `dueAt`: look then whether it was acknowledged. */
  | { result: 'pushed'; dueAt: number; connectionId: string; gone: number }
  /**
   * No connection listens (or every one was gone): nothing sent, no attempt counted; the delivery stays
   * Queued for `pull`, or for the next connection's `resume`.
   */
  | { result: 'no-connection'; gone: number }
  /** Its retry schedule is spent without an acknowledgement: it stays Queued, for `pull`. */
  | { result: 'spent' }
  /** Another worker (or a pull, or an ack) moved the delivery first. */
  | { result: 'superseded' };

/**
 * One push of one WebSocket delivery to a connection listening to its subscription. Safe to run twice
 * for the same delivery: the lease is a versioned write, so two workers never both push it; a client
 * may still get a delivery twice (after its lease ended, or from a pull) and deduplicates on its id.
 */
export async function deliverWebsocket(
  deps: StreamDeliverDeps,
  deliveryId: string,
): Promise<StreamDeliverResult> {
  const delivery = await deps.deliveries.get(deliveryId);
  if (delivery?.status !== 'Queued') return { result: 'skipped' };
  const now = deps.clock();
  if (delivery.dueAt! > now) return { result: 'not-due', dueAt: delivery.dueAt! };
  const subscription = await deps.subscriptions.get(delivery.subscriptionId);
  if (subscription?.mode !== 'websocket') return { result: 'skipped' };
  if (subscription.state !== 'active') {
    await deps.deliveries.save(hold(delivery, now), delivery.version);
    return { result: 'held' };
  }
  const decision = pushDecision(
    delivery,
    now,
    subscription.retrySchedule ?? DEFAULT_RETRY_SCHEDULE,
    deps.ackTimeoutMs ?? ACK_TIMEOUT_MS,
  );
  if (decision.kind === 'settled') return { result: 'skipped' };
  if (decision.kind === 'spent') return { result: 'spent' };
  if (decision.kind === 'wait') return { result: 'not-due', dueAt: decision.until };

  const listeners = await deps.connections.listeners(subscription.subscriptionId, now);
  if (listeners.length === 0) return { result: 'no-connection', gone: 0 };
  const message = await deps.messages.get(delivery.messageId);
  if (!message) throw new Error(`message ${delivery.messageId} of delivery ${deliveryId} is missing`);
  const pushed = decision.delivery;
  if (!(await deps.deliveries.save(pushed, delivery.version))) return { result: 'superseded' };

  const frame = JSON.stringify(messageFrame(pushed, message));
  let gone = 0;
  try {
    for (const { connectionId } of offerOrder(deliveryId, listeners)) {
      if ((await deps.pusher.push(connectionId, frame)) === 'sent') {
        return { result: 'pushed', dueAt: pushed.dueAt!, connectionId, gone };
      }
      // Closed without a $disconnect (API Gateway's is best effort): forget it, offer the next one.
      gone++;
      await deps.connections.remove(connectionId, [subscription.subscriptionId]);
    }
  } catch (error) {
    await withdraw(deps, pushed, delivery);
    throw error;
  }
  await withdraw(deps, pushed, delivery);
  return { result: 'no-connection', gone };
}

/** Nobody got the push: the attempt is taken back (unless an ack or a pull moved the delivery meanwhile). */
async function withdraw(deps: StreamDeliverDeps, pushed: Delivery, before: Delivery): Promise<void> {
  await deps.deliveries.save(withdrawPush(pushed, before, deps.clock()), pushed.version);
}
