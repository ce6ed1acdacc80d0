import { DomainError } from '../kernel/errors.ts';
import { bodyValidator } from '../kernel/validation.ts';
import type { HealthPolicy } from './health-machine.ts';
import { DEFAULT_NOTICE_MAPPING, type NoticeMapping, noticeMappingSchema } from './notice-answer.ts';

export const PARTNER_ID = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

/** How Portico fetches a partner's notices: where, how often, and how to read its answer. */
export interface NoticeFeed {
  /** The partner's notice endpoint (an egress decision on write and on every poll). */
  url: string;
  /** Portico's id at the partner, sent in every poll (the seed's `zhifubao`). */
  ourId: string;
  pollIntervalSeconds: number;
  /** The seed protocol, or a mapping of a partner that answers differently. */
  mapping: NoticeMapping;
}

export interface ProbeTarget {
  url: string;
  method: 'GET' | 'HEAD';
  /** Answers with a status in [min, max] pass. */
  passStatus: { min: number; max: number };
  timeoutMs: number;
}

/** A partner as the console defines it; its secrets are stored apart, encrypted (never in this). */
export interface Partner {
  partnerId: string;
  name: string;
  description?: string;
  notices?: NoticeFeed;
  /** The seed's 公告开关: whether the partner's own notices count. */
  partnerNoticesOn: boolean;
  probe?: ProbeTarget;
  policy: HealthPolicy;
  /** What the health query answers when nothing is known (seed: not under maintenance). */
  defaultHealthy: boolean;
  /** Position in the default order partners are ranked in (lower first). */
  rank: number;
  /** Whether an AES-256-GCM key is configured: pushes and poll answers must then be encrypted. */
  encrypted: boolean;
}

/** What the console sends: the partner with optional parts left to defaults, and its secrets (write-only). */
export interface PartnerInput {
  partnerId: string;
  name: string;
  description?: string;
  notices?: Omit<NoticeFeed, 'mapping'> & { mapping?: Partial<NoticeMapping> };
  partnerNoticesOn?: boolean;
  probe?: Pick<ProbeTarget, 'url'> & Partial<ProbeTarget>;
  policy?: Partial<HealthPolicy>;
  defaultHealthy?: boolean;
  rank?: number;
  /** The HMAC-SHA256 shared secret of the partner protocol. */
  sharedSecret?: string;
  /** Base64 of a 32-byte AES-256-GCM key; `null` removes it. */
  aesKey?: string | null;
}

export const DEFAULT_HEALTH_POLICY: HealthPolicy = {
  probeFailures: 3,
  minCalls: 20,
  minSuccessRate: 0.9,
  maxLatencyMs: 3_000,
  latencyPercentile: 95,
  probesToRamp: 3,
  ramp: [
    { percent: 1, minDurationMs: 60_000, minCalls: 10, maxDurationMs: 600_000 },
    { percent: 5, minDurationMs: 60_000, minCalls: 20, maxDurationMs: 600_000 },
    { percent: 25, minDurationMs: 120_000, minCalls: 50, maxDurationMs: 900_000 },
    { percent: 100, minDurationMs: 120_000, minCalls: 100, maxDurationMs: 900_000 },
  ],
  backoff: { baseMs: 60_000, maxMs: 3_600_000 },
};

const url = { type: 'string', maxLength: 2048, pattern: '^https?://' } as const;

const policySchema = {
  type: 'object',
  properties: {
    probeFailures: { type: 'integer', minimum: 1, maximum: 100 },
    minCalls: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    minSuccessRate: { type: 'number', minimum: 0, maximum: 1 },
    maxLatencyMs: { type: 'integer', minimum: 1, maximum: 600_000 },
    latencyPercentile: { type: 'number', minimum: 50, maximum: 99.9 },
    probesToRamp: { type: 'integer', minimum: 1, maximum: 100 },
    ramp: {
      type: 'array',
      minItems: 1,
      maxItems: 10,
      items: {
        type: 'object',
        properties: {
          percent: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
          minDurationMs: { type: 'integer', minimum: 0, maximum: 86_400_000 },
          minCalls: { type: 'integer', minimum: 0, maximum: 1_000_000 },
          maxDurationMs: { type: 'integer', minimum: 0, maximum: 7 * 86_400_000 },
        },
        required: ['percent', 'minDurationMs', 'minCalls'],
        additionalProperties: false,
      },
    },
    backoff: {
      type: 'object',
      properties: {
        baseMs: { type: 'integer', minimum: 1_000, maximum: 86_400_000 },
        maxMs: { type: 'integer', minimum: 1_000, maximum: 7 * 86_400_000 },
      },
      required: ['baseMs', 'maxMs'],
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

export const partnerInputSchema = {
  type: 'object',
  properties: {
    partnerId: { type: 'string', pattern: PARTNER_ID },
    name: { type: 'string', minLength: 1, maxLength: 128 },
    description: { type: 'string', maxLength: 1024 },
    notices: {
      type: 'object',
      properties: {
        url,
        ourId: { type: 'string', minLength: 1, maxLength: 64 },
        pollIntervalSeconds: { type: 'integer', minimum: 60, maximum: 86_400 },
        mapping: noticeMappingSchema,
      },
      required: ['url', 'ourId', 'pollIntervalSeconds'],
      additionalProperties: false,
    },
    partnerNoticesOn: { type: 'boolean' },
    probe: {
      type: 'object',
      properties: {
        url,
        method: { enum: ['GET', 'HEAD'] },
        passStatus: {
          type: 'object',
          properties: {
            min: { type: 'integer', minimum: 100, maximum: 599 },
            max: { type: 'integer', minimum: 100, maximum: 599 },
          },
          required: ['min', 'max'],
          additionalProperties: false,
        },
        timeoutMs: { type: 'integer', minimum: 100, maximum: 10_000 },
      },
      required: ['url'],
      additionalProperties: false,
    },
    policy: policySchema,
    defaultHealthy: { type: 'boolean' },
    rank: { type: 'integer', minimum: 0, maximum: 1_000_000 },
    sharedSecret: { type: 'string', minLength: 32, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' },
    aesKey: { anyOf: [{ type: 'string', pattern: '^[A-Za-z0-9+/]{43}=$' }, { type: 'null' }] },
  },
  required: ['partnerId', 'name'],
  additionalProperties: false,
} as const;

const readPartnerInput = bodyValidator<PartnerInput>(partnerInputSchema);

/** The input checked against the schema and the rules a schema cannot say, with defaults applied. */
export function readPartner(body: unknown, encrypted: boolean): { partner: Partner; input: PartnerInput } {
  const input = readPartnerInput(body);
  const policy: HealthPolicy = { ...DEFAULT_HEALTH_POLICY, ...input.policy };
  const problems: { pointer: string; message: string }[] = [];
  if (policy.ramp.at(-1)!.percent !== 100)
    problems.push({ pointer: '/policy/ramp', message: 'must end at 100 %' });
  if (policy.ramp.some((s, i) => i > 0 && s.percent <= policy.ramp[i - 1]!.percent)) {
    problems.push({ pointer: '/policy/ramp', message: 'percentages must increase' });
  }
  if (policy.backoff.maxMs < policy.backoff.baseMs) {
    problems.push({ pointer: '/policy/backoff/maxMs', message: 'must be at least baseMs' });
  }
  if (input.probe?.passStatus && input.probe.passStatus.min > input.probe.passStatus.max) {
    problems.push({ pointer: '/probe/passStatus', message: 'min must not exceed max' });
  }
  if (problems.length > 0) {
    throw validationFailed(problems);
  }
  const partner: Partner = {
    partnerId: input.partnerId,
    name: input.name,
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.notices
      ? { notices: { ...input.notices, mapping: { ...DEFAULT_NOTICE_MAPPING, ...input.notices.mapping } } }
      : {}),
    partnerNoticesOn: input.partnerNoticesOn ?? true,
    ...(input.probe
      ? {
          probe: {
            url: input.probe.url,
            method: input.probe.method ?? 'GET',
            passStatus: input.probe.passStatus ?? { min: 200, max: 399 },
            timeoutMs: input.probe.timeoutMs ?? 2_000,
          },
        }
      : {}),
    policy,
    defaultHealthy: input.defaultHealthy ?? true,
    rank: input.rank ?? 100,
    encrypted: input.aesKey === null ? false : input.aesKey !== undefined || encrypted,
  };
  return { partner, input };
}

const validationFailed = (errors: { pointer: string; message: string }[]) =>
  new DomainError('validation-failed', errors.map((e) => `${e.pointer} ${e.message}`).join('; '), { errors });
