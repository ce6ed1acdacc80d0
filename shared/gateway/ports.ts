import type { DomainError } from '../kernel/errors.ts';
import type { RateLimitPolicy } from '../kernel/rate-limit-policy.ts';
import type { ApiDefinition, StoredApiDefinition } from './api-definition.ts';
import type { BreakerSnapshot } from './circuit-breaker/breaker.ts';
import type { GatewayEventEntry } from './circuit-breaker/events.ts';
import type { AsyncTarget } from './upstream-targets.ts';

/** Which APIs exist, at which revision: what a gateway instance needs to know whether its copies are current. */
export interface RegistryIndexEntry {
  name: string;
  revision: number;
}

export interface ApiRegistry {
  get(name: string): Promise<StoredApiDefinition | undefined>;
  /** Stores a definition as the next revision; `expectedRevision` guards against lost updates. */
  put(api: ApiDefinition, expectedRevision?: number): Promise<StoredApiDefinition>;
  list(): Promise<StoredApiDefinition[]>;
  delete(name: string): Promise<boolean>;
  /** A number that grows with every put and delete: one cheap read tells a cache whether anything changed. */
  catalogVersion(): Promise<number>;
  index(): Promise<RegistryIndexEntry[]>;
}

export { RevisionConflictError } from '../kernel/revision.ts';

/**
 * The port behind the rate limiter: the shared token bucket of one key and policy
 * (`rate-limit/token-bucket.ts`), one number `tat` in µs.
 *
 * `acquire` takes up to `want` units at `nowUs`, atomically: whatever the number of instances calling
 * at once, it moves `tat` from `leaseStartUs(tat, now, hold)` by `cost(n)` only while that stays within
 * `now + toleranceUs(policy, hold)`, so the grants never exceed the bucket. It grants the most that fits as of the moment it applies,
 * possibly 0, and reports `tat` as it left it (the granted units are the last n slots before it).
 */
export interface LeaseRequest {
  key: string;
  policy: RateLimitPolicy;
  nowUs: number;
  /** How long past its slot the caller may use a unit (`token-bucket.ts`): sets the tolerance. */
  holdUs: number;
  want: number;
  /** The `tat` the caller last saw, if any: picks the form of update most likely to apply. */
  lastTatUs?: number;
}

export interface LeaseGrant {
  /** Units granted, 0..want. */
  granted: number;
  /** The bucket's theoretical arrival time after this call (µs); undefined if it was never used. */
  tatUs: number | undefined;
  /** Write requests this call made (a failed conditional write is billed as a write too). */
  writes: number;
  /** Read requests this call made. */
  reads: number;
}

export interface LeaseStore {
  acquire(request: LeaseRequest): Promise<LeaseGrant>;
  /** The bucket's `tat` as of now (one consistent read), undefined if never used. */
  peek?(key: string, policy: RateLimitPolicy): Promise<number | undefined>;
}

/**
 * The state gateway instances share, coarse and eventually consistent: breaker snapshots (merged into
 * each instance's `BreakerRegistry`) and the last active health-check result per upstream URL (applied
 * to each instance's `UpstreamPools`). Never used on the request path.
 *
 * Stored state ages out: a breaker record one hour after its last write, a health result ten minutes
 * after its write. Readers never return an expired record, whether or not the store has removed it.
 */
export interface GatewayStateStore {
  /**
   * Every live breaker record (bounded: a store may cap how many it returns). The snapshot is as
   * stored, unvalidated: `BreakerRegistry.merge` checks it.
   */
  readBreakers(): Promise<StoredBreaker[]>;
  /**
   * Stores a snapshot if the stored record of `key` is absent, expired or of a lower version. Returns
   * false when a record of the same or a higher version is stored (nothing is written).
   */
  writeBreaker(key: string, snapshot: BreakerSnapshot): Promise<boolean>;
  /** The live health results, at most one per URL (bounded like `readBreakers`). */
  readHealth(): Promise<HealthResult[]>;
  /** Stores each result unless a result checked later is already stored for its URL. */
  writeHealth(results: HealthResult[]): Promise<void>;
}

export interface StoredBreaker {
  key: string;
  snapshot: unknown;
}

/** Where the gateway's events go (EventBridge `PutEvents`, or a fake in tests). */
export interface GatewayEventSink {
  /**
   * Publishes at most 10 entries in one call. Resolves with the indices (into `entries`) of the entries
   * that were not accepted; rejects when the call itself failed (then none was accepted).
   */
  put(entries: readonly GatewayEventEntry[]): Promise<{ failed: number[] }>;
}

export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  upstreamLatencyMs: number;
}

export interface UpstreamCall {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Buffer;
  timeoutMs: number;
}

/**
 * Makes one HTTP call to an upstream. Throws `UpstreamFailure` when no usable answer came back: a
 * timeout (504 `upstream-timeout`) or anything else (502 `bad-gateway`). The answer's headers are
 * already cleaned for the caller (`clientResponseHeaders`).
 */
export type UpstreamTransport = (call: UpstreamCall) => Promise<UpstreamAnswer>;

/** One synchronous invocation of an upstream function; `payload` is the JSON event. */
export interface FunctionInvocation {
  functionName: string;
  qualifier?: string;
  payload: string;
  timeoutMs: number;
}

/**
 * Invokes an upstream Lambda function and waits for it (Lambda `Invoke`, `RequestResponse`). Resolves
 * with the function's payload, and `functionError` when the function failed; throws `UpstreamFailure`
 * when no answer came back: `timeout` at `timeoutMs`, `unavailable` when Lambda throttled the call,
 * `refused` when the function is not one the gateway may call, `broken` otherwise.
 */
export type FunctionInvoker = (
  invocation: FunctionInvocation,
) => Promise<{ payload: Uint8Array; functionError?: string }>;

/** One request handed to an asynchronous upstream (`target` is a queue or a bus). */
export interface AsyncHandOff {
  target: AsyncTarget;
  /** The JSON message (async-message.ts). */
  message: string;
  trackingId: string;
  api: string;
  timeoutMs: number;
}

/**
 * Hands a request to a queue (`SendMessage`) or a bus (`PutEvents`). Resolves once it is accepted;
 * throws `UpstreamFailure` otherwise (`unavailable`: the queue or bus did not take it, nothing was sent;
 * `refused`: a target the gateway may not use).
 */
export type AsyncSender = (handOff: AsyncHandOff) => Promise<void>;

/**
 * The scheduled active health check, without the HTTP: a pure planner (which URLs to probe now), a
 * function applying results to pools, and a runner that probes through an injected `probe` with
 * bounded concurrency and a timeout per probe.
 *
 * Pools live in each process, so a verdict must travel: the scheduled function probes and stores the
 * results; each gateway instance applies the stored results to its own pools when it reads them (with
 * its registry cache). Applying the same stored result again is harmless: the pool ignores a verdict
 * not newer than the last one it applied, or older than the server's last state change (so an old
 * "ok" never cancels a newer passive ejection).
 */

export interface ProbeOutcome {
  ok: boolean;
  latencyMs: number;
}

/**
 * Probes one upstream. `signal` aborts when the probe's time is up: pass it to `fetch` so the
 * connection is dropped, not only forgotten.
 */
export type Probe = (url: string, signal: AbortSignal) => Promise<ProbeOutcome>;

/** One probe's verdict, as stored and as applied to pools. JSON-serialisable. */
export interface HealthResult {
  url: string;
  ok: boolean;
  latencyMs: number;
  /** When the run that made the probe started (ms since the epoch). */
  checkedAt: number;
  /** Why a probe failed without answering: it ran out of time, or it threw. */
  error?: 'timeout' | 'probe-error';
}

/**
 * Partner health as the gateway uses it (shared/partners/partner-gate.ts): whether a call may go to a
 * partner's API now, and every call that reached one. `refusal` answers within a short deadline and
 * never throws.
 */
export interface PartnerHealthGate {
  refusal(partnerId: string): Promise<DomainError | undefined>;
  record(partnerId: string, call: { ok: boolean; latencyMs: number }): void;
}
