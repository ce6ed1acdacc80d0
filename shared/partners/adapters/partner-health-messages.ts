import { createHash } from 'node:crypto';
import { type FanOutDeps, fanOutMessage } from '../../messages/fan-out-message.ts';
import type { Message } from '../../messages/message.ts';
import type { MessageStore } from '../../messages/ports.ts';
import type { PartnerEvents, PartnerTransition } from '../ports.ts';
import { transitionView } from '../transition-view.ts';

/** The platform topic of partner health transitions (events/topics/portico.partner-health.json). */
export const PARTNER_HEALTH_TOPIC = 'portico.partner-health';

/** One message per transition, its id derived from the transition's: published twice, stored once. */
export function transitionMessage(transition: PartnerTransition): Message {
  const payload = transitionView(transition);
  const id = createHash('sha256').update(transition.eventId).digest('base64url').slice(0, 27);
  return {
    messageId: `evt_${id}`,
    topic: PARTNER_HEALTH_TOPIC,
    source: 'portico',
    payload,
    status: 'Accepted',
    publishedAt: payload.at,
    receivedAt: payload.at,
  };
}

/** Publishes transitions through the messages capability: stored, then fanned out to the topic's subscribers. */
export function partnerHealthMessages(
  deps: FanOutDeps & { messages: Pick<MessageStore, 'saveOnce'> },
): PartnerEvents {
  return async (transitions) => {
    for (const transition of transitions) {
      const message = transitionMessage(transition);
      await deps.messages.saveOnce(message);
      await fanOutMessage(deps, message);
    }
  };
}
