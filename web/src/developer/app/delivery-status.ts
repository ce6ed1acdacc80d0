import type { Attempt, DeliveryStatus, SubscriptionState } from '../api/messages.ts';
import type { Tone } from '../ui/tone.ts';

export const DELIVERY_TONES: Record<DeliveryStatus, Tone> = {
  Queued: 'info',
  Paused: 'warning',
  Sent: 'success',
  Failed: 'danger',
};

export const SUBSCRIPTION_TONES: Record<SubscriptionState, Tone> = {
  active: 'success',
  paused: 'warning',
  disabled: 'danger',
};

/** Only a delivery that is done (sent or given up on) can be sent again. */
export const canReplay = (status: DeliveryStatus): boolean => status === 'Sent' || status === 'Failed';

/** Why an attempt failed, in words (shared/messages/attempt-outcome.ts). */
const ERROR_CLASSES: Record<string, string> = {
  timeout: 'no answer in time',
  connection: 'could not connect',
  'egress-refused': 'address not allowed',
  redirect: 'redirect (not followed)',
  'client-error': 'refused by the endpoint',
  'server-error': 'endpoint error',
  throttled: 'asked to slow down',
  gone: 'endpoint gone (410)',
  undeliverable: 'could not be processed',
};

/** What an attempt came to, for a table cell: "Delivered", "Failed: could not connect". */
export function attemptOutcome(attempt: Attempt): string {
  if (!attempt.errorClass && attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300)
    return 'Delivered';
  const why = attempt.errorClass ? (ERROR_CLASSES[attempt.errorClass] ?? attempt.errorClass) : 'failed';
  return `Failed: ${why}`;
}
