import type { Violation } from '../kernel/validation.ts';

/**
 * The kinds of upstream an API can have: an HTTP server (`url`), an AWS Lambda function invoked
 * synchronously with an API Gateway payload 2.0 event (`lambda`), or an asynchronous hand-off the
 * caller gets a 202 for: an SQS queue (`queue`) or an EventBridge bus (`eventBus`).
 */
export interface HttpUpstream {
  url: string;
  weight?: number;
}

export interface FunctionUpstream {
  /** The function's name or ARN. */
  lambda: string;
  /** A version or alias; absent, `$LATEST` (or the ARN's own qualifier). */
  qualifier?: string;
  weight?: number;
}

export interface QueueUpstream {
  /** The queue's name (never a URL: the SDK would send the signed request to the URL's host). */
  queue: string;
}

export interface EventBusUpstream {
  /** The bus's name or ARN. */
  eventBus: string;
  /** The events' `detail-type` (default `Portico API Request`). */
  detailType?: string;
}

export type Upstream = HttpUpstream | FunctionUpstream | QueueUpstream | EventBusUpstream;

/**
 * An upstream as the pipeline uses it, with the `key` its pool, breaker and analytics know it by: the
 * URL of an HTTP server, `lambda:<function>[:<qualifier>]`, `sqs:<queue>` or `events:<bus>`.
 */
export type UpstreamTarget =
  | { kind: 'http'; key: string; url: string }
  | { kind: 'function'; key: string; functionName: string; qualifier?: string }
  | { kind: 'queue'; key: string; queue: string }
  | { kind: 'event-bus'; key: string; eventBus: string; detailType: string };

export type AsyncTarget = Extract<UpstreamTarget, { kind: 'queue' | 'event-bus' }>;

export const DEFAULT_DETAIL_TYPE = 'Portico API Request';

/** The allow-list prefix a deployment uses when it configures none (context `upstreamTargetPrefix`). */
export const DEFAULT_UPSTREAM_TARGET_PREFIX = 'portico-internal-';

const FUNCTION_NAME = '[A-Za-z0-9_-]{1,64}';
const QUALIFIER = '(\\$LATEST|[A-Za-z0-9_-]{1,128})';
const FUNCTION_ARN = `arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:${FUNCTION_NAME}(:${QUALIFIER})?`;
const BUS_NAME = '[A-Za-z0-9._/-]{1,256}';
const BUS_ARN = `arn:aws[a-z-]*:events:[a-z0-9-]+:\\d{12}:event-bus/${BUS_NAME}`;
const weight = { type: 'integer', minimum: 1, maximum: 100 } as const;

/** One entry of `upstreams`: exactly one of `url`, `lambda`, `queue`, `eventBus`, with its own members. */
export function upstreamSchema(url: Record<string, unknown>) {
  return {
    type: 'object',
    properties: {
      url,
      lambda: { type: 'string', pattern: `^(${FUNCTION_NAME}|${FUNCTION_ARN})$`, maxLength: 256 },
      qualifier: { type: 'string', pattern: `^${QUALIFIER}$` },
      queue: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,80}(\\.fifo)?$' },
      eventBus: { type: 'string', pattern: `^(${BUS_NAME}|${BUS_ARN})$`, maxLength: 512 },
      detailType: { type: 'string', minLength: 1, maxLength: 128 },
      weight,
    },
    // The member is named in each branch too: Ajv's strict mode wants a required member defined there.
    oneOf: ['url', 'lambda', 'queue', 'eventBus'].map((member) => ({
      required: [member],
      properties: { [member]: true },
    })),
    additionalProperties: false,
  } as const;
}

const MEMBERS: Record<UpstreamTarget['kind'], readonly string[]> = {
  http: ['url', 'weight'],
  function: ['lambda', 'qualifier', 'weight'],
  queue: ['queue'],
  'event-bus': ['eventBus', 'detailType'],
};

function kindOf(upstream: Upstream): UpstreamTarget['kind'] {
  if ('url' in upstream) return 'http';
  if ('lambda' in upstream) return 'function';
  if ('queue' in upstream) return 'queue';
  return 'event-bus';
}

export function targetOf(upstream: Upstream): UpstreamTarget {
  if ('url' in upstream) return { kind: 'http', key: upstream.url, url: upstream.url };
  if ('lambda' in upstream) {
    const { lambda: functionName, qualifier } = upstream;
    return {
      kind: 'function',
      key: `lambda:${functionName}${qualifier ? `:${qualifier}` : ''}`,
      functionName,
      ...(qualifier ? { qualifier } : {}),
    };
  }
  if ('queue' in upstream) return { kind: 'queue', key: `sqs:${upstream.queue}`, queue: upstream.queue };
  return {
    kind: 'event-bus',
    key: `events:${upstream.eventBus}`,
    eventBus: upstream.eventBus,
    detailType: upstream.detailType ?? DEFAULT_DETAIL_TYPE,
  };
}

export const isAsyncTarget = (target: UpstreamTarget): target is AsyncTarget =>
  target.kind === 'queue' || target.kind === 'event-bus';

/**
 * The name an allow-list judges: the function's name (out of an ARN too), the queue's, the bus's.
 * HTTP upstreams are the egress policy's business, not this list's.
 */
export function resourceNameOf(target: UpstreamTarget): string | undefined {
  switch (target.kind) {
    case 'function':
      return target.functionName.startsWith('arn:') ? target.functionName.split(':')[6] : target.functionName;
    case 'queue':
      return target.queue;
    case 'event-bus':
      return target.eventBus.startsWith('arn:') ? target.eventBus.split('event-bus/')[1] : target.eventBus;
    default:
      return undefined;
  }
}

/** What a schema cannot say: members of another kind, a qualifier twice, an async upstream among others. */
export function upstreamViolations(upstreams: readonly Upstream[]): Violation[] {
  const violations: Violation[] = [];
  upstreams.forEach((upstream, i) => {
    const kind = kindOf(upstream);
    for (const member of Object.keys(upstream)) {
      if (!MEMBERS[kind].includes(member))
        violations.push({
          pointer: `/upstreams/${i}/${member}`,
          message: `is not allowed with ${MEMBERS[kind][0]}`,
        });
    }
    if ('lambda' in upstream && upstream.qualifier && /:function:[^:]+:/.test(upstream.lambda))
      violations.push({ pointer: `/upstreams/${i}/qualifier`, message: 'is already in the function ARN' });
    if (isAsyncTarget(targetOf(upstream)) && upstreams.length > 1)
      violations.push({
        pointer: `/upstreams/${i}`,
        message: 'an asynchronous upstream (queue or eventBus) must be the API’s only upstream',
      });
  });
  return violations;
}

/**
 * Which functions, queues and buses the gateway may be pointed at: those whose name starts with the
 * deployment's prefix (the same prefix limits the gateway's IAM policy).
 */
export class TargetAllowList {
  constructor(readonly prefix: string) {}

  admits(target: UpstreamTarget): boolean {
    if (target.kind === 'http') return true;
    const name = resourceNameOf(target);
    return this.prefix.length > 0 && name !== undefined && name.startsWith(this.prefix);
  }

  violations(upstreams: readonly Upstream[]): Violation[] {
    const violations: Violation[] = [];
    upstreams.forEach((upstream, i) => {
      const target = targetOf(upstream);
      if (this.admits(target)) return;
      const member = MEMBERS[target.kind][0]!;
      violations.push({
        pointer: `/upstreams/${i}/${member}`,
        message: `must name a ${target.kind === 'function' ? 'function' : target.kind === 'queue' ? 'queue' : 'bus'} whose name starts with "${this.prefix}"`,
      });
    });
    return violations;
  }
}
