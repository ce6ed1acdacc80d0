import { DomainError } from '../../kernel/errors.ts';
import { bodyValidator, type Violation } from '../../kernel/validation.ts';

/**
 * What the gateway answers instead of calling an upstream whose breaker refuses the call. Without one,
 * the caller gets a 503 `urn:portico:problem:circuit-open` problem with `Retry-After`. With one,
 * the API owner chooses a static answer (a 2xx fallback such as an empty list, or another error).
 */
export interface DegradeResponse {
  /** HTTP status, 200–599. */
  status: number;
  /** Content type of `body`; defaults to `application/json`. */
  contentType?: string;
  /** The body, sent as is (at most 64 KiB). */
  body: string;
  /** Extra headers; `Retry-After` is added unless given here. */
  headers?: Record<string, string>;
}

/**
 * How one circuit breaker decides. Rates are percentages (1–100) as in Resilience4j; durations are
 * milliseconds. Every field has a default (`DEFAULT_BREAKER_SETTINGS`), justified there.
 */
export interface BreakerSettings {
  /** Length of the time-based sliding window the rates are computed over. */
  windowMs: number;
  /** Granularity of the window: outcomes older than `windowMs` are forgotten one bucket at a time. */
  bucketMs: number;
  /** Calls the window must hold before the failure and slow-call rates may trip the breaker. */
  minimumCalls: number;
  /** Trip when failures / calls ≥ this percentage (and the window holds `minimumCalls`). */
  failureRateThreshold: number;
  /** A successful call taking at least this long is a slow call. */
  slowCallDurationMs: number;
  /** Trip when slow calls / calls ≥ this percentage (and the window holds `minimumCalls`). */
  slowCallRateThreshold: number;
  /** Trip after this many failures in a row, whatever the volume; 0 disables the rule. */
  consecutiveFailures: number;
  /** Open period after a first trip. */
  openBaseMs: number;
  /** Ceiling of the open period: each further trip without a healthy close doubles it up to this. */
  openMaxMs: number;
  /** A close is healthy once the breaker stayed closed this long; the next trip then starts at `openBaseMs` again. */
  backoffResetMs: number;
  /** Probes per half-open episode: at most this many in flight and this many in total. */
  halfOpenProbes: number;
  /** A probe that has not reported after this long counts as failed, so half-open can never get stuck. */
  halfOpenTimeoutMs: number;
  /** Answer sent while the breaker refuses calls; absent: a 503 problem with `Retry-After`. */
  degrade?: DegradeResponse;
}

/**
 * Defaults, and why (R4j = Resilience4j, see docs FACTS):
 *
 * - `windowMs` 10 s in 1 s buckets (`bucketMs`): Hystrix's window. Time-based rather than R4j's
 *   100-call count window: a Lambda instance sees a small, bursty share of the traffic, and a count
 *   window on a quiet instance would still be judging outcomes minutes old.
 * - `minimumCalls` 20: Hystrix's volume. R4j's 100 is rarely reached by one Lambda instance in 10 s
 *   (the breaker would never trip on rates); Sentinel's 5 trips on 3 unlucky calls.
 * - `failureRateThreshold` 50 %: the value all three references agree on.
 * - `slowCallDurationMs` 5 s and `slowCallRateThreshold` 80 %: a Portico upstream may be given up to
 *   28 s, so R4j's 60 s slow threshold can never fire; 5 s is far beyond any healthy API answer, and
 *   80 % slow means saturation rather than a few heavy requests (R4j's 100 % never trips in practice).
 * - `consecutiveFailures` 10: Sentinel's error-count rule, for instances too quiet to reach
 *   `minimumCalls`. Ten in a row is practically impossible for an upstream failing less than a third
 *   of its calls (0.3¹⁰ ≈ 6·10⁻⁶), so it only fires on a dead or broken upstream.
 * - `openBaseMs` 5 s doubling up to `openMaxMs` 60 s: Hystrix's 5 s sleep for a blip, and never
 *   longer than R4j's fixed 60 s for a lasting outage (5, 10, 20, 40, 60, 60 … s), so a recovered
 *   upstream is back within a minute while a dead one gets a probe burst at most once a minute.
 * - `backoffResetMs` 30 s: three full windows closed without tripping count as healthy; a breaker
 *   that trips again sooner is flapping and keeps its longer open period.
 * - `halfOpenProbes` 5: between Sentinel's single probe (one unlucky call reopens the breaker and
 *   doubles the wait) and R4j's 10 (per instance, times every warm instance, against an upstream
 *   that is just coming back). Probes are judged with the same thresholds as the window.
 * - `halfOpenTimeoutMs` 30 s: above the longest upstream timeout a Portico API may have (28 s, API
 *   Gateway cuts at 29–30 s), so only a probe that can no longer report counts as failed. Integrators
 *   may lower it to the API's own `timeoutMs` plus a margin.
 */
export const DEFAULT_BREAKER_SETTINGS: Readonly<BreakerSettings> = Object.freeze({
  windowMs: 10_000,
  bucketMs: 1_000,
  minimumCalls: 20,
  failureRateThreshold: 50,
  slowCallDurationMs: 5_000,
  slowCallRateThreshold: 80,
  consecutiveFailures: 10,
  openBaseMs: 5_000,
  openMaxMs: 60_000,
  backoffResetMs: 30_000,
  halfOpenProbes: 5,
  halfOpenTimeoutMs: 30_000,
});

/** At most this many buckets per window, so a window costs a bounded amount of memory and time. */
export const MAX_BUCKETS = 600;

const integer = (minimum: number, maximum: number, byDefault: number, description: string) =>
  ({ type: 'integer', minimum, maximum, default: byDefault, description }) as const;
const percentage = (byDefault: number, description: string) =>
  ({ type: 'number', exclusiveMinimum: 0, maximum: 100, default: byDefault, description }) as const;

/**
 * JSON Schema of breaker settings as an API owner writes them (every field optional: missing ones
 * take the defaults). Usable with `bodyValidator` and publishable in the OpenAPI document. Rules that
 * span fields (`bucketMs` divides `windowMs`, `openMaxMs` ≥ `openBaseMs`, …) are checked by
 * `resolveBreakerSettings`.
 */
export const breakerSettingsSchema = {
  type: 'object',
  properties: {
    windowMs: integer(1_000, 600_000, DEFAULT_BREAKER_SETTINGS.windowMs, 'Sliding window length (ms).'),
    bucketMs: integer(100, 60_000, DEFAULT_BREAKER_SETTINGS.bucketMs, 'Sliding window bucket (ms).'),
    minimumCalls: integer(
      1,
      100_000,
      DEFAULT_BREAKER_SETTINGS.minimumCalls,
      'Calls needed before rates apply.',
    ),
    failureRateThreshold: percentage(
      DEFAULT_BREAKER_SETTINGS.failureRateThreshold,
      'Failure rate that trips (%).',
    ),
    slowCallDurationMs: integer(
      1,
      300_000,
      DEFAULT_BREAKER_SETTINGS.slowCallDurationMs,
      'Slow call from (ms).',
    ),
    slowCallRateThreshold: percentage(
      DEFAULT_BREAKER_SETTINGS.slowCallRateThreshold,
      'Slow-call rate that trips (%).',
    ),
    consecutiveFailures: integer(
      0,
      10_000,
      DEFAULT_BREAKER_SETTINGS.consecutiveFailures,
      'Failures in a row that trip; 0 = off.',
    ),
    openBaseMs: integer(100, 3_600_000, DEFAULT_BREAKER_SETTINGS.openBaseMs, 'First open period (ms).'),
    openMaxMs: integer(100, 3_600_000, DEFAULT_BREAKER_SETTINGS.openMaxMs, 'Longest open period (ms).'),
    backoffResetMs: integer(
      0,
      86_400_000,
      DEFAULT_BREAKER_SETTINGS.backoffResetMs,
      'Closed this long resets the backoff (ms).',
    ),
    halfOpenProbes: integer(1, 100, DEFAULT_BREAKER_SETTINGS.halfOpenProbes, 'Probes per half-open episode.'),
    halfOpenTimeoutMs: integer(
      100,
      300_000,
      DEFAULT_BREAKER_SETTINGS.halfOpenTimeoutMs,
      'A silent probe fails after (ms).',
    ),
    degrade: {
      type: 'object',
      description: 'Static answer while the breaker refuses calls; default: 503 problem+json.',
      properties: {
        status: { type: 'integer', minimum: 200, maximum: 599 },
        contentType: { type: 'string', minLength: 1, maxLength: 200 },
        body: { type: 'string', maxLength: 65_536 },
        headers: {
          type: 'object',
          maxProperties: 20,
          propertyNames: { pattern: '^[A-Za-z0-9-]{1,100}$' },
          additionalProperties: { type: 'string', maxLength: 1_000 },
        },
      },
      required: ['status', 'body'],
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

const validateShape = bodyValidator<Partial<BreakerSettings>>(breakerSettingsSchema);

/** Headers a degrade answer may not set: they belong to the platform or to HTTP framing. */
const RESERVED_HEADERS = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'x-request-id',
  'content-type',
  'set-cookie',
]);

function crossFieldViolations(s: BreakerSettings): Violation[] {
  const violations: Violation[] = [];
  if (s.windowMs % s.bucketMs !== 0)
    violations.push({ pointer: '/bucketMs', message: 'must divide windowMs' });
  else if (s.windowMs / s.bucketMs > MAX_BUCKETS) {
    violations.push({
      pointer: '/bucketMs',
      message: `must leave at most ${MAX_BUCKETS} buckets in the window`,
    });
  }
  if (s.openMaxMs < s.openBaseMs)
    violations.push({ pointer: '/openMaxMs', message: 'must be at least openBaseMs' });
  for (const name of Object.keys(s.degrade?.headers ?? {})) {
    if (RESERVED_HEADERS.has(name.toLowerCase())) {
      violations.push({ pointer: `/degrade/headers/${name}`, message: 'is reserved' });
    }
  }
  return violations;
}

/**
 * Validates settings written by an API owner (a partial object) and completes them with `base`
 * (the defaults unless given). Throws the same 400 `validation-failed` problem as `bodyValidator`.
 */
export function resolveBreakerSettings(
  input: unknown = {},
  base: Readonly<BreakerSettings> = DEFAULT_BREAKER_SETTINGS,
): BreakerSettings {
  const partial = validateShape(input ?? {});
  const settings: BreakerSettings = { ...base, ...partial };
  const violations = crossFieldViolations(settings);
  if (violations.length > 0) {
    throw new DomainError(
      'validation-failed',
      violations.map((v) => `${v.pointer} ${v.message}`).join('; '),
      { errors: violations },
    );
  }
  return settings;
}

/** Open period for a backoff level: `openBaseMs` × 2^level, at most `openMaxMs`. */
export const openDurationMs = (settings: BreakerSettings, level: number): number =>
  Math.min(settings.openBaseMs * 2 ** level, settings.openMaxMs);

/** The first backoff level whose open period reaches `openMaxMs`: levels never need to grow beyond it. */
export const maxBackoffLevel = (settings: BreakerSettings): number =>
  Math.max(0, Math.ceil(Math.log2(settings.openMaxMs / settings.openBaseMs)));
