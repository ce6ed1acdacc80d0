import { describe, expect, expectTypeOf, it } from 'vitest';
import type { StreamMessage } from '../../sdk/message-stream.ts';
import { acknowledge, newDelivery } from './delivery.ts';
import type { Message } from './message.ts';
import {
  ACK_TIMEOUT_MS,
  type MessageFrame,
  messageFrame,
  offerOrder,
  pushDecision,
  withdrawPush,
} from './stream-push.ts';

const T0 = Date.UTC(2030, 0, 1);
const SCHEDULE = [0, 5, 300];
const fresh = () =>
  newDelivery(
    { messageId: 'evt-1', topic: 'orders.created' },
    { subscriptionId: 'sub_ws', appId: 'app-1', state: 'active' },
    T0,
  );

describe('the push decision of a WebSocket delivery', () => {
  it('pushes a due delivery by leasing it for the ack timeout: one attempt', () => {
    const decision = pushDecision(fresh(), T0, SCHEDULE);
    expect(decision.kind).toBe('push');
    const pushed = (decision as { delivery: ReturnType<typeof fresh> }).delivery;
    expect(pushed).toMatchObject({
      status: 'Queued',
      attempts: 1,
      roundAttempts: 1,
      dueAt: T0 + ACK_TIMEOUT_MS,
    });
    expect(pushDecision(pushed, T0 + 1_000, SCHEDULE)).toEqual({ kind: 'wait', until: T0 + ACK_TIMEOUT_MS });
  });

  it('pushes an unacknowledged one again on the retry schedule, counted from the end of its lease', () => {
    let d = fresh();
    let at = T0;
    const pushes: number[] = [];
    for (;;) {
      const decision = pushDecision(d, at, SCHEDULE);
      if (decision.kind === 'spent') break;
      if (decision.kind === 'wait') {
        at = decision.until;
        continue;
      }
      if (decision.kind !== 'push') throw new Error(decision.kind);
      pushes.push(at - T0);
      d = decision.delivery;
    }
    // 0 s, then the lease (30 s) + 5 s, then that lease + 300 s; then it is left for pull, still Queued.
    expect(pushes).toEqual([0, 35_000, 365_000]);
    expect(d).toMatchObject({ status: 'Queued', attempts: 3 });
    expect(d.dueAt).toBeLessThanOrEqual(at);
  });

  it('does nothing with an acknowledged delivery', () => {
    const pushed = (pushDecision(fresh(), T0, SCHEDULE) as { delivery: ReturnType<typeof fresh> }).delivery;
    expect(pushDecision(acknowledge(pushed, T0 + 10), T0 + 60_000, SCHEDULE)).toEqual({ kind: 'settled' });
  });

  it('takes a push back when nobody got it: no attempt counted, due as before', () => {
    const before = fresh();
    const pushed = (pushDecision(before, T0, SCHEDULE) as { delivery: typeof before }).delivery;
    const withdrawn = withdrawPush(pushed, before, T0 + 5);
    expect(withdrawn).toMatchObject({
      attempts: 0,
      roundAttempts: 0,
      dueAt: T0,
      version: pushed.version + 1,
    });
    expect(pushDecision(withdrawn, T0 + 5, SCHEDULE).kind).toBe('push');
  });
});

describe('frames and connections', () => {
  it('frames a delivery with its message', () => {
    const pushed = (pushDecision(fresh(), T0, SCHEDULE) as { delivery: ReturnType<typeof fresh> }).delivery;
    const message = {
      messageId: 'evt-1',
      topic: 'orders.created',
      payload: { orderId: 'o-1' },
      publishedAt: '2030-01-01T00:00:00.000Z',
    } as Message;
    expect(messageFrame(pushed, message)).toEqual({
      type: 'message',
      deliveryId: pushed.deliveryId,
      subscriptionId: 'sub_ws',
      messageId: 'evt-1',
      topic: 'orders.created',
      publishedAt: '2030-01-01T00:00:00.000Z',
      payload: { orderId: 'o-1' },
      attempt: 1,
    });
  });

  it('sends the frame the SDK reads (sdk/ stands alone, so it declares the shape again)', () => {
    expectTypeOf<MessageFrame>().toEqualTypeOf<StreamMessage>();
  });

  it('offers each delivery to every connection, starting at one its id picks', () => {
    const connections = ['a', 'b', 'c'];
    const starts = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const order = offerOrder(`msg_${i}`, connections);
      expect([...order].sort()).toEqual(connections);
      expect(offerOrder(`msg_${i}`, connections)).toEqual(order);
      starts.add(order[0]!);
    }
    expect(starts.size).toBe(3);
    expect(offerOrder('msg_x', [])).toEqual([]);
  });
});
