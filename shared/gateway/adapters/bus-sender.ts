import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { UpstreamFailure } from '../forward.ts';
import type { AsyncHandOff, AsyncSender } from '../ports.ts';

/** Where the gateway's hand-offs come from on a bus upstream: rules match on it and the detail type. */
export const HAND_OFF_SOURCE = 'portico.gateway';

/** `PutEvents` of one entry to a bus upstream; an entry the bus did not accept is a failure. */
export function busSender(client: Pick<EventBridgeClient, 'send'>): AsyncSender {
  return async (handOff: AsyncHandOff) => {
    if (handOff.target.kind !== 'event-bus') throw new UpstreamFailure('broken', 'Not a bus upstream.');
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), handOff.timeoutMs);
    let failed: number;
    try {
      const result = await client.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: handOff.target.eventBus,
              Source: HAND_OFF_SOURCE,
              DetailType: handOff.target.detailType,
              Detail: handOff.message,
            },
          ],
        }),
        { abortSignal: abort.signal },
      );
      failed = result.FailedEntryCount ?? 0;
    } catch {
      failed = 1;
    } finally {
      clearTimeout(timer);
    }
    if (failed > 0)
      throw new UpstreamFailure('unavailable', 'The request could not be published; nothing was sent.');
  };
}
