import { loadConfig, type SettingSchema } from './env.ts';

/** Every setting a function reads from its environment, with its type. */
export interface Settings {
  IDENTITY_TABLE: string;
  REGISTRY_TABLE: string;
  MESSAGES_TABLE: string;
  ANALYTICS_TABLE: string;
  RATE_LIMIT_TABLE: string;
  GATEWAY_STATE_TABLE: string;
  EVENT_BUS_NAME: string;
  ANALYTICS_STREAM: string;
  SECRETS_KEY_ID: string;
  SIGNING_KEYS_SECRET: string;
  IDENTITY_SIGNING_KEYS_SECRET: string;
  TOKEN_ISSUER: string;
  ACCESS_TOKEN_TTL_SECONDS: number;
  REFRESH_TOKEN_TTL_SECONDS: number;
  SIGNING_KEY_ROTATION_DAYS: number;
  /** The egress allow list (`shared/egress/policy.ts`): CIDRs, host names, `loopback`; empty: public only. */
  EGRESS_ALLOW: string;
  /** Where due message deliveries wait for the delivery worker. */
  DELIVERY_QUEUE_URL: string;
  /** Where business events wait for ingest, and where ingest's dead letters are put back. */
  INGEST_QUEUE_URL: string;
  /** The ingest queue's dead-letter queue. */
  INGEST_DEAD_LETTER_QUEUE_URL: string;
  /** How long a webhook endpoint has to answer one delivery attempt before it counts as a timeout. */
  WEBHOOK_TIMEOUT_SECONDS: number;
  /** The message stream's WebSocket URL (its stage's); pushes go to its management endpoint. */
  MESSAGE_STREAM_URL: string;
  /** Partner health: partners, notices, automatic health, traffic and claims. */
  PARTNERS_TABLE: string;
  /** Where the poll scheduler puts one job per partner due a poll. */
  PARTNER_POLL_QUEUE_URL: string;
  /**
   * Partner health's unit of time: calls are counted per window and automatic health evaluates at most
   * once in each. A minute (the schedule's rate) in a deployment; a test platform makes it seconds.
   */
  PARTNER_HEALTH_WINDOW_SECONDS: number;
  /** The Firehose delivery stream request logs are put to. */
  REQUEST_LOG_STREAM: string;
  /** The bucket the delivery stream writes request logs to. */
  REQUEST_LOG_BUCKET: string;
  /** How request logs are searched: an Athena query, or by reading the objects (the local platform). */
  LOG_SEARCH_ENGINE: 'athena' | 'objects';
  /** Whether a developer account signed up in the portal works at once or waits for an operator. */
  SIGN_UP_APPROVAL: 'automatic' | 'operator';
  ATHENA_WORKGROUP: string;
  REQUEST_LOG_DATABASE: string;
  REQUEST_LOG_TABLE: string;
  /** Days request logs (and the error reports against their calls) are kept. */
  REQUEST_LOG_RETENTION_DAYS: number;
  /**
   * The Lambda functions, SQS queues and EventBridge buses an API may name as upstreams: those whose
   * name starts with this (the gateway's IAM policy is limited to the same prefix).
   */
  UPSTREAM_TARGET_PREFIX: string;
  /** The deployment's API groups (`shared/gateway/deployment-groups.ts`), as JSON: group name → API names; `{}`: none. */
  GATEWAY_GROUPS: string;
  /** The function that runs test cases' load runs, invoked asynchronously by the console's routes. */
  LOAD_GENERATOR_FUNCTION: string;
}

const name: SettingSchema = { type: 'string', minLength: 1 };

/** How each setting is validated (JSON Schema, with defaults). */
const SCHEMAS: Record<keyof Settings, SettingSchema> = {
  IDENTITY_TABLE: name,
  REGISTRY_TABLE: name,
  MESSAGES_TABLE: name,
  ANALYTICS_TABLE: name,
  RATE_LIMIT_TABLE: name,
  GATEWAY_STATE_TABLE: name,
  EVENT_BUS_NAME: name,
  ANALYTICS_STREAM: name,
  SECRETS_KEY_ID: name,
  SIGNING_KEYS_SECRET: name,
  IDENTITY_SIGNING_KEYS_SECRET: name,
  TOKEN_ISSUER: { type: 'string', pattern: '^https?://' },
  ACCESS_TOKEN_TTL_SECONDS: { type: 'integer', minimum: 60, maximum: 86_400, default: 3600 },
  REFRESH_TOKEN_TTL_SECONDS: { type: 'integer', minimum: 3600, maximum: 365 * 86_400, default: 30 * 86_400 },
  SIGNING_KEY_ROTATION_DAYS: { type: 'integer', minimum: 1, maximum: 365, default: 30 },
  EGRESS_ALLOW: { type: 'string', maxLength: 4096, default: '' },
  DELIVERY_QUEUE_URL: { type: 'string', pattern: '^https?://' },
  INGEST_QUEUE_URL: { type: 'string', pattern: '^https?://' },
  INGEST_DEAD_LETTER_QUEUE_URL: { type: 'string', pattern: '^https?://' },
  MESSAGE_STREAM_URL: { type: 'string', pattern: '^wss?://' },
  WEBHOOK_TIMEOUT_SECONDS: { type: 'integer', minimum: 1, maximum: 25, default: 15 },
  PARTNERS_TABLE: name,
  PARTNER_POLL_QUEUE_URL: { type: 'string', pattern: '^https?://' },
  PARTNER_HEALTH_WINDOW_SECONDS: { type: 'integer', minimum: 1, maximum: 3600, default: 60 },
  REQUEST_LOG_STREAM: name,
  REQUEST_LOG_BUCKET: name,
  LOG_SEARCH_ENGINE: { enum: ['athena', 'objects'], default: 'athena' },
  SIGN_UP_APPROVAL: { enum: ['automatic', 'operator'], default: 'operator' },
  ATHENA_WORKGROUP: name,
  REQUEST_LOG_DATABASE: name,
  REQUEST_LOG_TABLE: name,
  REQUEST_LOG_RETENTION_DAYS: { type: 'integer', minimum: 1, maximum: 3650, default: 30 },
  // Never empty: an empty prefix would admit every function, queue and bus of the account.
  UPSTREAM_TARGET_PREFIX: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'portico-internal-' },
  GATEWAY_GROUPS: { type: 'string', maxLength: 4096, default: '{}' },
  LOAD_GENERATOR_FUNCTION: name,
};

/** Loads the named settings at cold start; anything missing or malformed fails the load, all named at once. */
export function loadSettings<K extends keyof Settings>(
  names: readonly K[],
  env: NodeJS.ProcessEnv = process.env,
): Pick<Settings, K> {
  return loadConfig<Pick<Settings, K>>(
    { properties: Object.fromEntries(names.map((n) => [n, SCHEMAS[n]])), required: names },
    env,
  );
}
