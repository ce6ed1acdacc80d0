import { bodyValidator } from '../kernel/validation.ts';
import type { AttemptOutcome } from './attempt-outcome.ts';

/** How an app receives a topic's messages. */
export type DeliveryMode = 'webhook' | 'websocket' | 'pull';
export type SubscriptionState = 'active' | 'paused' | 'disabled';

/**
 * Payload fields a message must carry to reach the subscription: each dotted path must hold the given
 * value, or one of the given values. No filter: every message of the topic.
 */
export type PayloadFilter = Record<string, FilterValue | FilterValue[]>;
type FilterValue = string | number | boolean | null;

const FILTER_PATH = '^[A-Za-z0-9_-]{1,64}(\\.[A-Za-z0-9_-]{1,64}){0,4}$';
const filterValue = {
  anyOf: [{ type: 'string', maxLength: 256 }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }],
} as const;

export const payloadFilterSchema = {
  type: 'object',
  propertyNames: { pattern: FILTER_PATH },
  additionalProperties: {
    anyOf: [filterValue, { type: 'array', items: filterValue, minItems: 1, maxItems: 50 }],
  },
  minProperties: 1,
  maxProperties: 10,
} as const;

/** A subscription's own delivery rate: per second to per hour, so a receiver is never flooded. */
export const subscriptionRateLimitSchema = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 100_000 },
    windowSeconds: { type: 'integer', minimum: 1, maximum: 3_600 },
  },
  required: ['limit', 'windowSeconds'],
  additionalProperties: false,
} as const;

export const validatePayloadFilter = bodyValidator<PayloadFilter>(payloadFilterSchema);

const valueAt = (payload: unknown, path: string): unknown => {
  let node = payload;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, key)) {
      return undefined;
    }
    node = (node as Record<string, unknown>)[key];
  }
  return node;
};

/** Whether a message payload passes the filter (strict equality, no type coercion). */
export function matchesFilter(filter: PayloadFilter | undefined, payload: unknown): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([path, wanted]) => {
    const actual = valueAt(payload, path);
    if (actual === undefined) return false;
    return Array.isArray(wanted) ? wanted.some((w) => w === actual) : wanted === actual;
  });
}

/** When an endpoint that keeps failing is disabled, and how long before that its app is warned. */
export interface EndpointHealthPolicy {
  disableAfterMs: number;
  warnBeforeMs: number;
}

export const DEFAULT_ENDPOINT_HEALTH: EndpointHealthPolicy = {
  disableAfterMs: 5 * 86_400_000,
  warnBeforeMs: 86_400_000,
};

export interface EndpointHealth {
  /** Since when every attempt failed (epoch ms); absent while the endpoint answers. */
  failingSince?: number;
  /** When the app was told the subscription will be disabled. */
  warnedAt?: number;
}

export type EndpointEffect = 'warn-disable' | 'disable';

/**
 * An endpoint's health after an attempt: one success clears it; failing without a break for
 * `disableAfterMs` disables the subscription, announced `warnBeforeMs` earlier (never silently).
 */
export function endpointHealthAfter(
  health: EndpointHealth,
  outcome: AttemptOutcome,
  at: number,
  policy: EndpointHealthPolicy = DEFAULT_ENDPOINT_HEALTH,
): { health: EndpointHealth; effects: EndpointEffect[] } {
  if (outcome.kind === 'delivered') return { health: {}, effects: [] };
  const failingSince = health.failingSince ?? at;
  const failingFor = at - failingSince;
  if (failingFor >= policy.disableAfterMs) {
    return {
      health: { failingSince, ...(health.warnedAt ? { warnedAt: health.warnedAt } : {}) },
      effects: ['disable'],
    };
  }
  if (failingFor >= policy.disableAfterMs - policy.warnBeforeMs && health.warnedAt === undefined) {
    return { health: { failingSince, warnedAt: at }, effects: ['warn-disable'] };
  }
  return { health: { ...health, failingSince }, effects: [] };
}
