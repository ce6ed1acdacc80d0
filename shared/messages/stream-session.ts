import { DomainError } from '../kernel/errors.ts';
import { isSubscriptionId } from './ids.ts';
import type {
  ConnectionStore,
  DeliveryQueue,
  DeliveryStore,
  QueueItem,
  Subscription,
  SubscriptionStore,
} from './ports.ts';
import { acknowledgeHeld, readAcknowledgement } from './pull-deliveries.ts';
import { newConnection, type StreamConnection, streamedSubscriptions } from './stream-connection.ts';
import type { DeliveryMode } from './subscription.ts';

export interface StreamSessionDeps {
  subscriptions: Pick<SubscriptionStore, 'get' | 'listByApp'>;
  connections: Pick<ConnectionStore, 'put' | 'get' | 'remove'>;
  deliveries: Pick<DeliveryStore, 'get' | 'save' | 'listBySubscription'>;
  queue: DeliveryQueue;
  clock: () => number;
}

/** Due deliveries a `resume` queues per subscription; the client sends `resume` again while `more`. */
export const MAX_RESUMED_PER_SUBSCRIPTION = 1_000;

/** What a client may send on the stream (API Gateway routes it by `action`). */
export type ClientFrame = { action: string } & Record<string, unknown>;

/** A text frame as a client frame; anything else is refused and changes nothing. */
export function readClientFrame(body: string | undefined): ClientFrame {
  let frame: unknown;
  try {
    frame = JSON.parse(body ?? '');
  } catch {
    throw new DomainError('malformed-body', 'A frame must be a JSON object with an "action".');
  }
  if (frame === null || typeof frame !== 'object' || Array.isArray(frame)) {
    throw new DomainError('malformed-body', 'A frame must be a JSON object with an "action".');
  }
  const { action } = frame as Record<string, unknown>;
  return { ...(frame as Record<string, unknown>), action: typeof action === 'string' ? action : '' };
}

/**
 * `$connect`: records which of the app's websocket subscriptions the new connection receives (see
 * `streamedSubscriptions`). A refusal rejects the upgrade and records nothing.
 */
export async function openStream(
  deps: StreamSessionDeps,
  appId: string,
  connectionId: string,
  requested?: string,
): Promise<StreamConnection> {
  const owned: { subscriptionId: string; appId: string; mode: DeliveryMode }[] = [];
  if (requested !== undefined) {
    const one = await requestedSubscription(deps, requested);
    if (one) owned.push(one);
  } else {
    let cursor: string | undefined;
    do {
      const page = await deps.subscriptions.listByApp(appId, { limit: 100, ...(cursor ? { cursor } : {}) });
      owned.push(...page.items);
      cursor = page.next;
    } while (cursor);
  }
  const connection = newConnection(
    connectionId,
    appId,
    streamedSubscriptions(appId, owned, requested),
    deps.clock(),
  );
  await deps.connections.put(connection);
  return connection;
}

const requestedSubscription = async (
  deps: StreamSessionDeps,
  id: string,
): Promise<Subscription | undefined> => (isSubscriptionId(id) ? deps.subscriptions.get(id) : undefined);

/** `$disconnect` (or a push that found the connection gone): the connection is forgotten. */
export async function closeStream(deps: Pick<StreamSessionDeps, 'connections'>, connectionId: string) {
  await deps.connections.remove(connectionId);
}

/**
 * `{"action":"ack","deliveryIds":[…]}`: marks Sent the deliveries of subscriptions this connection
 * receives, exactly as the HTTP ack does; any other id (another app's, another subscription's, unknown)
 * is reported in `unknown` and left as it is.
 */
export async function acknowledgeOverStream(
  deps: StreamSessionDeps,
  connectionId: string,
  frame: ClientFrame,
): Promise<{ acknowledged: string[]; unknown: string[] }> {
  const { action: _action, ...body } = frame;
  const deliveryIds = readAcknowledgement(body);
  const connection = await deps.connections.get(connectionId, deps.clock());
  const held = new Set(connection?.subscriptionIds ?? []);
  return acknowledgeHeld(deps, (subscriptionId) => held.has(subscriptionId), deliveryIds);
}

/**
 * `{"action":"resume"}`, sent once the connection is open: the due deliveries of its active
 * subscriptions (the backlog that waited while nobody was connected) are queued to be pushed, up to
 * MAX_RESUMED_PER_SUBSCRIPTION each; `more` says some were left for another `resume`.
 */
export async function resumeStream(
  deps: StreamSessionDeps,
  connectionId: string,
): Promise<{ queued: number; more: boolean }> {
  const now = deps.clock();
  const connection = await deps.connections.get(connectionId, now);
  if (!connection) throw new DomainError('not-found', 'This connection is not open any more: reconnect.');
  let queued = 0;
  let more = false;
  for (const subscriptionId of connection.subscriptionIds) {
    const subscription = await deps.subscriptions.get(subscriptionId);
    if (subscription?.mode !== 'websocket' || subscription.state !== 'active') continue;
    let cursor: string | undefined;
    let taken = 0;
    do {
      const page = await deps.deliveries.listBySubscription(
        subscriptionId,
        'Queued',
        { to: now },
        { limit: 100, ...(cursor ? { cursor } : {}) },
      );
      const due: QueueItem[] = page.items.map((d) => ({
        deliveryId: d.deliveryId,
        subscriptionId,
        dueAt: now,
      }));
      if (due.length > 0) await deps.queue.enqueue(due);
      taken += due.length;
      cursor = page.next;
    } while (cursor && taken < MAX_RESUMED_PER_SUBSCRIPTION);
    queued += taken;
    more ||= cursor !== undefined;
  }
  return { queued, more };
}
