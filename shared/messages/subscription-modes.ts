import type { SubscriptionStore } from './ports.ts';
import type { DeliveryMode } from './subscription.ts';

/**
 * Each subscription's delivery mode, as the delivery worker needs it to pick the webhook or the
 * WebSocket path. A mode is fixed for the subscription's life, so a worker remembers it (the oldest
 * forgotten beyond `capacity`) and reads each subscription once; an unknown one is not remembered.
 */
export class SubscriptionModes {
  private readonly known = new Map<string, DeliveryMode>();

  constructor(
    private readonly subscriptions: Pick<SubscriptionStore, 'get'>,
    private readonly capacity = 10_000,
  ) {}

  async of(subscriptionId: string): Promise<DeliveryMode | undefined> {
    const known = this.known.get(subscriptionId);
    if (known) return known;
    const mode = (await this.subscriptions.get(subscriptionId))?.mode;
    if (!mode) return undefined;
    if (this.known.size >= this.capacity) this.known.delete(this.known.keys().next().value!);
    this.known.set(subscriptionId, mode);
    return mode;
  }
}
