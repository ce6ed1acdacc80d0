import type { Message } from '../messages/message.ts';
import {
  type PlatformMessageDeps,
  platformMessage,
  publishPlatformMessage,
} from '../messages/platform-message.ts';
import { type DeprecatedCallDetail, deprecatedCallOfBusEvent } from './deprecated-calls.ts';

/** The platform topic telling apps that an API they call is deprecated (events/topics/portico.api-deprecations.json). */
export const API_DEPRECATIONS_TOPIC = 'portico.api-deprecations';

/** One message per app and deprecation, for that app alone, however many gateway instances saw it call. */
export function deprecationMessage(call: DeprecatedCallDetail): Message {
  const { appId, at, ...api } = call;
  return platformMessage({
    topic: API_DEPRECATIONS_TOPIC,
    key: [API_DEPRECATIONS_TOPIC, call.api, call.deprecatedAt, appId].join('\n'),
    payload: { type: 'api.deprecated', ...api, calledAt: at },
    at,
    audience: appId,
  });
}

/** Tells the calling app of the deprecation the event reports; other events are not this module's. */
export async function tellCaller(deps: PlatformMessageDeps, event: unknown): Promise<Message | undefined> {
  const call = deprecatedCallOfBusEvent(event);
  if (!call) return undefined;
  const message = deprecationMessage(call);
  await publishPlatformMessage(deps, message);
  return message;
}
