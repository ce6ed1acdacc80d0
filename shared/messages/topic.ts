import type { Ajv, ValidateFunction } from 'ajv';
import { newAjv } from '../kernel/ajv.ts';
import { DomainError } from '../kernel/errors.ts';
import { SCOPE_PATTERN } from '../kernel/scopes.ts';
import { bodyValidator, toViolation } from '../kernel/validation.ts';

/**
 * A topic: a named kind of business event (seed 001: topic isolation), its payload contract, and who
 * may subscribe. Internal publishers send to a topic; apps holding `scope` may subscribe to it.
 */
export interface Topic {
  /** `orders.created`: lower-case words joined by dots (the EventBridge detail-type). */
  name: string;
  description: string;
  /** The internal team that publishes it. */
  owner: string;
  /** An app may subscribe only when its granted scopes include this one. */
  scope: string;
  /** JSON Schema (2020-12 subset ajv knows) every payload must satisfy. */
  payloadSchema: Record<string, unknown>;
  example: unknown;
  /** How long messages, deliveries and attempts are kept (replay works within it). */
  retentionDays: number;
}

/** A topic as stored: every write makes the next revision (the console's `ETag`). */
export interface StoredTopic extends Topic {
  revision: number;
  updatedAt: string;
}

/** What developers see of a topic (`GET /v1/topics`): not the team that owns it. */
export const publishedTopic = ({
  name,
  description,
  scope,
  payloadSchema,
  example,
  retentionDays,
}: Topic) => ({
  name,
  description,
  scope,
  payloadSchema,
  example,
  retentionDays,
});

export const TOPIC_NAME_PATTERN = '^[a-z][a-z0-9-]{0,39}(\\.[a-z][a-z0-9-]{0,39}){1,4}$';
/** Largest payload accepted, serialized as JSON. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
export const MIN_RETENTION_DAYS = 30;

export const topicSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', pattern: TOPIC_NAME_PATTERN },
    description: { type: 'string', minLength: 1, maxLength: 1000 },
    owner: { type: 'string', minLength: 1, maxLength: 100 },
    scope: { type: 'string', pattern: SCOPE_PATTERN },
    payloadSchema: { type: 'object', maxProperties: 200 },
    example: {},
    retentionDays: { type: 'integer', minimum: MIN_RETENTION_DAYS, maximum: 400 },
  },
  required: ['name', 'description', 'owner', 'scope', 'payloadSchema', 'example', 'retentionDays'],
  additionalProperties: false,
} as const;

const readTopic = bodyValidator<Topic>(topicSchema);
let shared: Ajv | undefined;
/** Made on first use (kernel/ajv.ts). */
const ajv = () => {
  shared ??= newAjv({ allErrors: true, strict: false });
  return shared;
};

/** A topic as written by an operator: its payload schema must compile and its example must pass it. */
export function validateTopic(body: unknown): Topic {
  const topic = readTopic(body);
  let validate: ValidateFunction;
  try {
    validate = ajv().compile(topic.payloadSchema);
  } catch (error) {
    throw new DomainError('validation-failed', 'payloadSchema is not a valid JSON Schema.', {
      errors: [{ pointer: '/payloadSchema', message: (error as Error).message.slice(0, 300) }],
    });
  }
  if (!validate(topic.example)) {
    const errors = (validate.errors ?? [])
      .map(toViolation)
      .map((v) => ({ ...v, pointer: `/example${v.pointer}` }));
    throw new DomainError('validation-failed', 'example does not satisfy payloadSchema.', { errors });
  }
  return topic;
}

const compiled = new WeakMap<Topic, ValidateFunction>();

/** Refuses a payload the topic does not accept: too large, or not what its schema describes. */
export function checkPayload(topic: Topic, payload: unknown): void {
  const bytes = Buffer.byteLength(JSON.stringify(payload ?? null));
  if (bytes > MAX_PAYLOAD_BYTES) {
    throw new DomainError(
      'payload-too-large',
      `A payload may hold at most ${MAX_PAYLOAD_BYTES} bytes of JSON.`,
    );
  }
  let validate = compiled.get(topic);
  if (!validate) {
    validate = ajv().compile(topic.payloadSchema);
    compiled.set(topic, validate);
  }
  if (!validate(payload)) {
    const errors = (validate.errors ?? []).map(toViolation);
    throw new DomainError(
      'validation-failed',
      `The payload does not match the schema of ${topic.name}: ${errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}`.slice(
        0,
        500,
      ),
      { errors },
    );
  }
}

/**
 * Platform topics (`portico.*`) carry what the platform tells each app about its own resources: any app
 * may subscribe, and each of their messages reaches only the subscriptions of the app it concerns.
 */
export const isPlatformTopic = (name: string): boolean => name.startsWith('portico.');

/** Whether an app holding `scopes` may subscribe to the topic. */
export const maySubscribe = (topic: Pick<Topic, 'scope' | 'name'>, scopes: readonly string[]): boolean =>
  isPlatformTopic(topic.name) || scopes.includes(topic.scope);
