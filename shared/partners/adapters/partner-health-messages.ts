import type { Message } from '../../messages/message.ts';
import {
  type PlatformMessageDeps,
  platformMessage,
  publishPlatformMessage,
} from '../../messages/platform-message.ts';
import type { PartnerEvents, PartnerTransition } from '../ports.ts';
import { transitionView } from '../transition-view.ts';

/** The platform topic of partner health transitions (events/topics/portico.partner-health.json). */
export const PARTNER_HEALTH_TOPIC = 'portico.partner-health';

/** One message per transition, its id derived from the transition's: published twice, stored once. */
export function transitionMessage(transition: PartnerTransition): Message {
  const payload = transitionView(transition);
  return platformMessage({ topic: PARTNER_HEALTH_TOPIC, key: transition.eventId, payload, at: payload.at });
}

/** Publishes transitions through the messages capability: stored, then fanned out to the topic's subscribers. */
export function partnerHealthMessages(deps: PlatformMessageDeps): PartnerEvents {
  return async (transitions) => {
    for (const transition of transitions) await publishPlatformMessage(deps, transitionMessage(transition));
  };
}
