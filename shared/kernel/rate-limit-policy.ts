/**
 * A token bucket: refills `limit` units per `windowSeconds` and holds at most `burst` (default `limit`),
 * so over any interval of T seconds at most limit × T / windowSeconds + burst calls pass. What API
 * definitions and app plans both write.
 */
export interface RateLimitPolicy {
  limit: number;
  windowSeconds: number;
  burst?: number;
}

export const rateLimitPolicySchema = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    windowSeconds: { type: 'integer', minimum: 1, maximum: 86_400 },
    burst: { type: 'integer', minimum: 1, maximum: 1_000_000 },
  },
  required: ['limit', 'windowSeconds'],
  additionalProperties: false,
} as const;
