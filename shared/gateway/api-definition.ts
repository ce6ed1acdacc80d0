import { bodyValidator } from '../http/validate.ts';

/**
 * A registered API, as far as the gateway needs it today. The registry issue grows this (routes,
 * schemas, limits, breakers); stored definitions carry a `version` so caches can tell them apart.
 */
export interface ApiDefinition {
  name: string;
  upstreams: { url: string }[];
  timeoutMs: number;
  /** Scopes a token must carry to call the API; empty means any authenticated app. */
  requiredScopes: string[];
}

export const API_NAME_PATTERN = '^[a-z][a-z0-9-]{0,62}$';

const schema = {
  type: 'object',
  properties: {
    name: { type: 'string', pattern: API_NAME_PATTERN },
    upstreams: {
      type: 'array',
      minItems: 1,
      maxItems: 16,
      items: {
        type: 'object',
        properties: { url: { type: 'string', format: 'uri', pattern: '^https?://' } },
        required: ['url'],
        additionalProperties: false,
      },
    },
    timeoutMs: { type: 'integer', minimum: 1, maximum: 28_000 },
    requiredScopes: { type: 'array', items: { type: 'string' }, maxItems: 50 },
  },
  required: ['name', 'upstreams', 'timeoutMs', 'requiredScopes'],
  additionalProperties: false,
} as const;

export const validateApiDefinition = bodyValidator<ApiDefinition>(schema);
