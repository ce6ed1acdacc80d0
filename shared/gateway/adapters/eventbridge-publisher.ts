import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { GatewayEventEntry } from '../circuit-breaker/events.ts';
import type { GatewayEventSink } from '../ports.ts';

/**
 * Gateway events to EventBridge: one `PutEvents` per call (the caller batches by 10). With `busName`,
 * every entry goes to that bus whatever it names (the configured bus wins over `breakerEventEntry`'s
 * default). PutEvents answers 200 even when some entries fail; those carry an `ErrorCode` at their
 * index. The caller needs `events:PutEvents` on the bus.
 */
export class EventBridgePublisher implements GatewayEventSink {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName?: string,
  ) {}

  async put(entries: readonly GatewayEventEntry[]): Promise<{ failed: number[] }> {
    const busName = this.busName;
    const { Entries: results = [], FailedEntryCount = 0 } = await this.client.send(
      new PutEventsCommand({
        Entries: entries.map((entry) => (busName ? { ...entry, EventBusName: busName } : { ...entry })),
      }),
    );
    const failed: number[] = [];
    entries.forEach((_, i) => {
      const result = results[i];
      if (result ? Boolean(result.ErrorCode) : FailedEntryCount > 0) failed.push(i);
    });
    return { failed };
  }
}
