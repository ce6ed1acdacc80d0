import type { Settings } from './settings.ts';

/**
 * Environment variable names shared by the CDK app (which sets them) and the functions (which read
 * them). One name always means one thing, so the local runtime can serve every function from one
 * process environment.
 */
export const ENV = {
  identityTable: 'IDENTITY_TABLE',
  registryTable: 'REGISTRY_TABLE',
  messagesTable: 'MESSAGES_TABLE',
  analyticsTable: 'ANALYTICS_TABLE',
  rateLimitTable: 'RATE_LIMIT_TABLE',
  gatewayStateTable: 'GATEWAY_STATE_TABLE',
  eventBusName: 'EVENT_BUS_NAME',
  analyticsStream: 'ANALYTICS_STREAM',
  secretsKeyId: 'SECRETS_KEY_ID',
  signingKeysSecret: 'SIGNING_KEYS_SECRET',
  identitySigningKeysSecret: 'IDENTITY_SIGNING_KEYS_SECRET',
  issuer: 'TOKEN_ISSUER',
  accessTokenTtl: 'ACCESS_TOKEN_TTL_SECONDS',
  refreshTokenTtl: 'REFRESH_TOKEN_TTL_SECONDS',
  keyRotationDays: 'SIGNING_KEY_ROTATION_DAYS',
  egressAllow: 'EGRESS_ALLOW',
  deliveryQueueUrl: 'DELIVERY_QUEUE_URL',
  ingestQueueUrl: 'INGEST_QUEUE_URL',
  ingestDeadLetterQueueUrl: 'INGEST_DEAD_LETTER_QUEUE_URL',
  messageStreamUrl: 'MESSAGE_STREAM_URL',
  partnersTable: 'PARTNERS_TABLE',
  partnerPollQueueUrl: 'PARTNER_POLL_QUEUE_URL',
  requestLogStream: 'REQUEST_LOG_STREAM',
  requestLogBucket: 'REQUEST_LOG_BUCKET',
  logSearchEngine: 'LOG_SEARCH_ENGINE',
  signUpApproval: 'SIGN_UP_APPROVAL',
  athenaWorkGroup: 'ATHENA_WORKGROUP',
  requestLogDatabase: 'REQUEST_LOG_DATABASE',
  requestLogTable: 'REQUEST_LOG_TABLE',
  requestLogRetentionDays: 'REQUEST_LOG_RETENTION_DAYS',
  upstreamTargetPrefix: 'UPSTREAM_TARGET_PREFIX',
  gatewayGroups: 'GATEWAY_GROUPS',
  loadGeneratorFunction: 'LOAD_GENERATOR_FUNCTION',
} as const satisfies Record<string, keyof Settings>;

/** The audience every Portico access token carries, checked by the gateway and the console. */
export const TOKEN_AUDIENCE = 'portico';
