import type { Message } from '../messages/message.ts';
import {
  type PlatformMessageDeps,
  platformMessage,
  publishPlatformMessage,
} from '../messages/platform-message.ts';
import type { ApiRegistry } from './ports.ts';
import { alertOfBusEvent, type UpstreamAlert } from './upstream-alerts.ts';

/** The platform topic of what happens to an API's servers (events/topics/portico.upstream-alerts.json). */
export const UPSTREAM_ALERTS_TOPIC = 'portico.upstream-alerts';

/** One message per happening, for the provider app alone. */
export function upstreamAlertMessage(alert: UpstreamAlert, providerApp: string): Message {
  const { occurrence, ...payload } = alert;
  return platformMessage({
    topic: UPSTREAM_ALERTS_TOPIC,
    key: [alert.type, alert.api, alert.server ?? '', alert.sandbox ? 'sandbox' : '', occurrence].join('\n'),
    payload,
    at: alert.at,
    audience: providerApp,
  });
}

export type UpstreamAlertDeps = PlatformMessageDeps & { registry: Pick<ApiRegistry, 'get'> };

export type TellProviderOutcome =
  | { told: Message }
  /** Not an alert: another event, or a move providers are not told of. */
  | { ignored: 'not-an-alert' }
  /** The API is gone, or names no provider app: nobody to tell. */
  | { ignored: 'no-provider'; api: string };

/** Tells the provider of the API an event of the bus is about, when it is an alert and the API names one. */
export async function tellProvider(deps: UpstreamAlertDeps, event: unknown): Promise<TellProviderOutcome> {
  const alert = alertOfBusEvent(event);
  if (!alert) return { ignored: 'not-an-alert' };
  const providerApp = (await deps.registry.get(alert.api))?.providerApp;
  if (!providerApp) return { ignored: 'no-provider', api: alert.api };
  const message = upstreamAlertMessage(alert, providerApp);
  await publishPlatformMessage(deps, message);
  return { told: message };
}
