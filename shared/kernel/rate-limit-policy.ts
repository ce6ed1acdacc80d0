/** A budget of calls per fixed window: what API definitions and app plans both write. */
export interface RateLimitPolicy {
  limit: number;
  windowSeconds: number;
}

export const rateLimitPolicySchema = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    windowSeconds: { type: 'integer', minimum: 1, maximum: 86_400 },
  },
  required: ['limit', 'windowSeconds'],
  additionalProperties: false,
} as const;
