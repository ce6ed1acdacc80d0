/**
 * Load balancing over the servers of one API, with passive outlier ejection. Pure and synchronous:
 * no I/O, the time comes from the caller (`pick(now)`, or the injected `clock` for reports) and the
 * only randomness (the starting position in the round-robin cycle) from the injected `random`.
 *
 * ## Picking
 * - `weighted-round-robin`: nginx's smooth weighted round-robin. Each pick adds every candidate's
 *   weight to its running score, takes the highest score (the first one on a tie) and subtracts the
 *   candidates' total weight from the winner. Deterministic, exact over a cycle of Σweights picks, and
 *   interleaved (weights 5,1,1 give a a b a c a a, never a a a a a b c).
 * - `least-in-flight`: the candidates with the fewest calls in flight from this process, and among
 *   those tied the same smooth weighted round-robin: the heavier server wins ties in proportion to its
 *   weight, equal weights alternate. When everything is idle — always so in a Lambda execution
 *   environment, which serves one call at a time — it is exactly weighted round-robin.
 * - Every process starts at a random position of the cycle (`random`), so a fleet of short-lived
 *   instances does not send every instance's first call to the same server.
 *
 * ## Server states
 * - **healthy**: gets traffic. Each failure (`connect`, `timeout`, `5xx`) adds to a run of consecutive
 *   failures, each success resets it; at `consecutiveFailures` (default 3) the server is ejected.
 * - **ejected**: gets no traffic (except in panic mode, below) until `ejectedUntil`. The ejection lasts
 *   `ejectionMs × 2^n` (30 s, 60 s, 120 s, …) capped at `maxEjectionMs` (300 s), where n counts the
 *   ejections since the server last recovered. Outcomes of calls picked before the current ejection
 *   or return (stragglers), of calls picked while it was ejected (panic picks), and of any call
 *   reported while it is ejected change nothing but the counters: ten concurrent failures eject a
 *   server once, not three times.
 * - **probation**: the ejection time has passed but nothing has confirmed the server yet. It is a
 *   candidate again but takes one trial call at a time (the other calls go to the healthy servers);
 *   a successful trial makes it healthy, a failed one ejects it again for twice as long.
 *
 * An ejected server returns to healthy in exactly two ways:
 * 1. a passing active health check (`markHealthy(url, at)`) made no earlier than the ejection, at any
 *    moment, even before `ejectedUntil`; or
 * 2. `ejectedUntil` passes (probation), then a call picked in probation succeeds.
 * Recovery — the first successful call while healthy or the successful trial — resets n to 0. A
 * passing health check alone does not: a server that answers its health endpoint but fails real
 * calls is ejected for longer and longer.
 *
 * `markUnhealthy(url, at)` (a failed active health check) ejects a healthy or probation server as a
 * run of failures would, and keeps an already ejected one out for at least its current ejection
 * time from `at`. Health verdicts older than the server's last state change, or not newer than the
 * last verdict applied, are ignored, so a stored result can be applied again and again.
 *
 * ## Panic mode
 * When no server is a candidate (all ejected, or on probation with their trial in flight), the pool
 * does not fail the call: it picks the server whose ejection ends first (ties by smooth weighted
 * round-robin) and flags the pick `panic`. This is Envoy's panic threshold idea with the threshold
 * at "no healthy host left": ejection is a guess made from this process's recent calls, and sending
 * traffic to the server most likely to be back soonest is better than a certain 503 for every caller
 * (and the only sensible behaviour for an API with a single upstream). Failures of panic picks made
 * while the server is still ejected do not lengthen its ejection. `panicMode: false` restores fail-fast
 * (`pick` then returns `undefined`); the circuit-breaker layer is the place for deliberate fast
 * failure.
 *
 * All state is per process: each Lambda instance ejects on its own evidence, and active health check
 * results reach it through storage (see `health-check.ts`).
 */

export type BalancingStrategy = 'weighted-round-robin' | 'least-in-flight';
export type FailureKind = 'connect' | 'timeout' | '5xx';
export type ServerState = 'healthy' | 'ejected' | 'probation';

export interface UpstreamServer {
  url: string;
  /** Integer in [1, MAX_UPSTREAM_WEIGHT]; default 1. */
  weight?: number;
}

export interface UpstreamPoolOptions {
  strategy?: BalancingStrategy;
  /** Consecutive failures that eject a server. */
  consecutiveFailures?: number;
  /** First ejection; doubles per repeated ejection. */
  ejectionMs?: number;
  /** Cap of the ejection time. */
  maxEjectionMs?: number;
  /** Pick the soonest-returning server when all are ejected (true) or return undefined (false). */
  panicMode?: boolean;
  /** Time of reports and health marks made without an explicit time. Default `Date.now`. */
  clock?: () => number;
  /** In [0, 1); chooses the starting position in the round-robin cycle. Default `Math.random`. */
  random?: () => number;
}

export const MAX_UPSTREAM_WEIGHT = 1000;

export const UPSTREAM_POOL_DEFAULTS = {
  strategy: 'weighted-round-robin',
  /**
   * Three in a row: one failure is noise (a reset connection, one slow GC pause), three consecutive
   * ones from the same process are rarely chance, and at the low per-instance rates of Lambda a
   * higher number (Envoy's 5) would take too long to ever trigger.
   */
  consecutiveFailures: 3,
  /** Envoy's base ejection time: long enough to shed load off a struggling server, short to lose it. */
  ejectionMs: 30_000,
  /** Envoy's default max_ejection_time: a server that keeps failing is retried every 5 minutes. */
  maxEjectionMs: 300_000,
  panicMode: true,
} as const;

/** The handle of one call. The first of `success`, `failure` or `release` settles it; later calls are no-ops. */
export interface Pick {
  readonly url: string;
  readonly weight: number;
  /** True when every server was ejected and this one was taken anyway. */
  readonly panic: boolean;
  readonly settled: boolean;
  /** The upstream answered (any status that is not a failure, 4xx included). */
  success(latencyMs: number, now?: number): void;
  /** Connection failure, timeout, or a 502/503/504 (see `failureKindForStatus`). */
  failure(kind: FailureKind, now?: number): void;
  /** Frees the slot without a verdict on the server (the call was abandoned before it said anything). */
  release(): void;
}

export interface ServerSnapshot {
  url: string;
  weight: number;
  state: ServerState;
  inFlight: number;
  consecutiveFailures: number;
  /** End of the current ejection, when ejected or on probation. */
  ejectedUntil?: number;
  /** Ejections since the server last recovered (the backoff exponent of the next one). */
  ejectionsSinceRecovery: number;
  totalEjections: number;
  picks: number;
  successes: number;
  failures: Record<FailureKind, number>;
  lastLatencyMs?: number;
  lastHealthCheck?: { at: number; ok: boolean };
}

interface Server {
  readonly url: string;
  weight: number;
  /** Smooth weighted round-robin score. */
  score: number;
  inFlight: number;
  /** Generation whose probation trial is in flight (a trial from an older generation blocks nothing). */
  trialGeneration?: number;
  consecutiveFailures: number;
  /** Ejected or on probation: not yet back. */
  out: boolean;
  ejectedUntil: number;
  ejectionMs: number;
  ejectionsSinceRecovery: number;
  /** Changes on every ejection and return; outcomes of calls picked in an older generation are stale. */
  generation: number;
  /** Time of the last state change. */
  since: number;
  lastHealthAt: number;
  lastHealthOk?: boolean;
  totalEjections: number;
  picks: number;
  successes: number;
  failures: Record<FailureKind, number>;
  lastLatencyMs?: number;
}

function positiveInteger(name: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(`${name} must be an integer in [1, ${max}], got ${value}.`);
  }
  return value;
}

type ResolvedOptions = Required<Omit<UpstreamPoolOptions, 'clock' | 'random'>>;

function resolveOptions(options: UpstreamPoolOptions): ResolvedOptions {
  const strategy = options.strategy ?? UPSTREAM_POOL_DEFAULTS.strategy;
  if (strategy !== 'weighted-round-robin' && strategy !== 'least-in-flight') {
    throw new RangeError(`Unknown balancing strategy "${String(strategy)}".`);
  }
  const ejectionMs = positiveInteger('ejectionMs', options.ejectionMs ?? UPSTREAM_POOL_DEFAULTS.ejectionMs);
  const maxEjectionMs = positiveInteger(
    'maxEjectionMs',
    options.maxEjectionMs ?? Math.max(UPSTREAM_POOL_DEFAULTS.maxEjectionMs, ejectionMs),
  );
  if (maxEjectionMs < ejectionMs) throw new RangeError('maxEjectionMs must be ≥ ejectionMs.');
  return {
    strategy,
    consecutiveFailures: positiveInteger(
      'consecutiveFailures',
      options.consecutiveFailures ?? UPSTREAM_POOL_DEFAULTS.consecutiveFailures,
    ),
    ejectionMs,
    maxEjectionMs,
    panicMode: options.panicMode ?? UPSTREAM_POOL_DEFAULTS.panicMode,
  };
}

function newServer(url: string, weight: number): Server {
  return {
    url,
    weight,
    score: 0,
    inFlight: 0,
    consecutiveFailures: 0,
    out: false,
    ejectedUntil: 0,
    ejectionMs: 0,
    ejectionsSinceRecovery: 0,
    generation: 0,
    since: Number.NEGATIVE_INFINITY,
    lastHealthAt: Number.NEGATIVE_INFINITY,
    totalEjections: 0,
    picks: 0,
    successes: 0,
    failures: { connect: 0, timeout: 0, '5xx': 0 },
  };
}

/**
 * The failure kind of an upstream status, or undefined when the status says nothing against the
 * server. Only 502, 503 and 504 count (Envoy's "gateway failures"): a 500 usually comes from an
 * application bug every replica shares, and ejecting for it would walk through all servers into
 * panic mode without helping anyone.
 */
export function failureKindForStatus(status: number): FailureKind | undefined {
  return status === 502 || status === 503 || status === 504 ? '5xx' : undefined;
}

export class UpstreamPool {
  readonly strategy: BalancingStrategy;
  readonly consecutiveFailures: number;
  readonly ejectionMs: number;
  readonly maxEjectionMs: number;
  readonly panicMode: boolean;
  private readonly clock: () => number;
  private readonly servers: Server[];
  private readonly byUrl: Map<string, Server>;
  private panicPickCount = 0;

  /**
   * @param previous a pool this one replaces (configuration change): servers whose URL remains keep
   *   their state, in-flight calls and counters, so a registry refresh neither forgets an ejection nor
   *   breaks the accounting of calls in progress.
   */
  constructor(
    servers: readonly UpstreamServer[],
    options: UpstreamPoolOptions = {},
    previous?: UpstreamPool,
  ) {
    if (servers.length === 0) throw new RangeError('An upstream pool needs at least one server.');
    const resolved = resolveOptions(options);
    this.strategy = resolved.strategy;
    this.consecutiveFailures = resolved.consecutiveFailures;
    this.ejectionMs = resolved.ejectionMs;
    this.maxEjectionMs = resolved.maxEjectionMs;
    this.panicMode = resolved.panicMode;
    this.clock = options.clock ?? Date.now;

    for (const { url, weight = 1 } of servers)
      positiveInteger(`The weight of ${url}`, weight, MAX_UPSTREAM_WEIGHT);
    if (new Set(servers.map((s) => s.url)).size !== servers.length) {
      throw new RangeError('Upstream URLs must be unique.');
    }
    this.servers = servers.map(({ url, weight = 1 }) => {
      const kept = previous?.byUrl.get(url);
      if (!kept) return newServer(url, weight);
      kept.weight = weight;
      kept.score = 0;
      return kept;
    });
    this.byUrl = new Map(this.servers.map((s) => [s.url, s]));

    const cycle = this.servers.reduce((sum, s) => sum + s.weight, 0);
    const offset = Math.floor((options.random ?? Math.random)() * cycle) % cycle;
    for (let i = 0; i < offset; i++) this.smoothWeighted(this.servers);
  }

  get urls(): string[] {
    return this.servers.map((s) => s.url);
  }

  has(url: string): boolean {
    return this.byUrl.has(url);
  }

  /** Picks taken in panic mode since the pool was created. */
  get panicPicks(): number {
    return this.panicPickCount;
  }

  state(url: string, now: number): ServerState | undefined {
    const server = this.byUrl.get(url);
    return server && this.stateOf(server, now);
  }

  /** Chooses the server for one call and counts it in flight until the handle is settled. */
  pick(now: number): Pick | undefined {
    const candidates = this.servers.filter((s) => this.isCandidate(s, now));
    let chosen: Server;
    let panic = false;
    if (candidates.length > 0) {
      chosen = this.smoothWeighted(
        this.strategy === 'least-in-flight' ? leastInFlight(candidates) : candidates,
      );
    } else {
      if (!this.panicMode) return undefined;
      const back = (s: Server) => Math.max(s.ejectedUntil, now);
      const soonest = Math.min(...this.servers.map(back));
      chosen = this.smoothWeighted(this.servers.filter((s) => back(s) === soonest));
      panic = true;
      this.panicPickCount++;
    }
    const pickedIn = this.stateOf(chosen, now);
    const trial = !panic && pickedIn === 'probation';
    if (trial) chosen.trialGeneration = chosen.generation;
    chosen.inFlight++;
    chosen.picks++;
    return this.handle(chosen, panic, trial, pickedIn);
  }

  /** A passing active health check made at `at`. Returns whether it was applied (not stale). */
  markHealthy(url: string, at: number = this.clock()): boolean {
    const server = this.freshVerdict(url, at, true);
    if (!server) return false;
    if (server.out) this.restore(server, at);
    return true;
  }

  /** A failing active health check made at `at`. Returns whether it was applied (not stale). */
  markUnhealthy(url: string, at: number = this.clock()): boolean {
    const server = this.freshVerdict(url, at, false);
    if (!server) return false;
    if (this.stateOf(server, at) === 'ejected') {
      server.ejectedUntil = Math.max(server.ejectedUntil, at + server.ejectionMs);
      server.since = at;
    } else {
      this.eject(server, at);
    }
    return true;
  }

  snapshot(now: number): ServerSnapshot[] {
    return this.servers.map((s) => ({
      url: s.url,
      weight: s.weight,
      state: this.stateOf(s, now),
      inFlight: s.inFlight,
      consecutiveFailures: s.consecutiveFailures,
      ...(s.out ? { ejectedUntil: s.ejectedUntil } : {}),
      ejectionsSinceRecovery: s.ejectionsSinceRecovery,
      totalEjections: s.totalEjections,
      picks: s.picks,
      successes: s.successes,
      failures: { ...s.failures },
      ...(s.lastLatencyMs !== undefined ? { lastLatencyMs: s.lastLatencyMs } : {}),
      ...(s.lastHealthOk !== undefined
        ? { lastHealthCheck: { at: s.lastHealthAt, ok: s.lastHealthOk } }
        : {}),
    }));
  }

  /** Same servers, weights and options: the pool can be kept as it is. */
  sameConfiguration(servers: readonly UpstreamServer[], options: UpstreamPoolOptions = {}): boolean {
    const resolved = resolveOptions(options);
    return (
      servers.length === this.servers.length &&
      servers.every(
        (s, i) => s.url === this.servers[i]!.url && (s.weight ?? 1) === this.servers[i]!.weight,
      ) &&
      resolved.strategy === this.strategy &&
      resolved.consecutiveFailures === this.consecutiveFailures &&
      resolved.ejectionMs === this.ejectionMs &&
      resolved.maxEjectionMs === this.maxEjectionMs &&
      resolved.panicMode === this.panicMode
    );
  }

  private stateOf(server: Server, now: number): ServerState {
    if (!server.out) return 'healthy';
    return now < server.ejectedUntil ? 'ejected' : 'probation';
  }

  private isCandidate(server: Server, now: number): boolean {
    const state = this.stateOf(server, now);
    return state === 'healthy' || (state === 'probation' && server.trialGeneration !== server.generation);
  }

  /** nginx's smooth weighted round-robin over `candidates` (non-empty). */
  private smoothWeighted(candidates: readonly Server[]): Server {
    let total = 0;
    let best = candidates[0]!;
    for (const server of candidates) {
      server.score += server.weight;
      total += server.weight;
      if (server.score > best.score) best = server;
    }
    best.score -= total;
    return best;
  }

  private eject(server: Server, now: number): void {
    server.ejectionMs = Math.min(this.ejectionMs * 2 ** server.ejectionsSinceRecovery, this.maxEjectionMs);
    server.ejectedUntil = now + server.ejectionMs;
    server.out = true;
    server.ejectionsSinceRecovery++;
    server.totalEjections++;
    server.consecutiveFailures = 0;
    server.generation++;
    server.since = now;
  }

  private restore(server: Server, now: number): void {
    server.out = false;
    server.consecutiveFailures = 0;
    server.generation++;
    server.since = now;
  }

  private freshVerdict(url: string, at: number, ok: boolean): Server | undefined {
    const server = this.byUrl.get(url);
    if (!server || at <= server.lastHealthAt || at < server.since) return undefined;
    server.lastHealthAt = at;
    server.lastHealthOk = ok;
    return server;
  }

  private handle(server: Server, panic: boolean, trial: boolean, pickedIn: ServerState): Pick {
    const generation = server.generation;
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      server.inFlight--;
      if (trial && server.trialGeneration === generation) server.trialGeneration = undefined;
      return true;
    };
    /**
     * Whether the outcome may change the server's state: picked in the current generation (not a
     * straggler from before an ejection or return) and not while the server was ejected (a panic pick).
     */
    const current = () => generation === server.generation && pickedIn !== 'ejected';
    return {
      url: server.url,
      weight: server.weight,
      panic,
      get settled() {
        return settled;
      },
      success: (latencyMs, now = this.clock()) => {
        if (!settle()) return;
        server.successes++;
        server.lastLatencyMs = latencyMs;
        if (!current()) return;
        const state = this.stateOf(server, now);
        if (state === 'ejected') return;
        if (state === 'probation') this.restore(server, now);
        server.consecutiveFailures = 0;
        server.ejectionsSinceRecovery = 0;
      },
      failure: (kind, now = this.clock()) => {
        if (!settle()) return;
        server.failures[kind]++;
        if (!current()) return;
        const state = this.stateOf(server, now);
        if (state === 'ejected') return;
        if (state === 'probation' || ++server.consecutiveFailures >= this.consecutiveFailures) {
          this.eject(server, now);
        }
      },
      release: () => {
        settle();
      },
    };
  }
}

function leastInFlight(candidates: Server[]): Server[] {
  const least = Math.min(...candidates.map((s) => s.inFlight));
  return candidates.filter((s) => s.inFlight === least);
}

/**
 * Pools by key (the API name), rebuilt only when an API's servers or options change, and then
 * carrying over the state of the servers that remain.
 */
export class UpstreamPools {
  private readonly pools = new Map<string, UpstreamPool>();

  constructor(private readonly defaults: UpstreamPoolOptions = {}) {}

  get(key: string, servers: readonly UpstreamServer[], options: UpstreamPoolOptions = {}): UpstreamPool {
    const merged = { ...this.defaults, ...options };
    const existing = this.pools.get(key);
    if (existing?.sameConfiguration(servers, merged)) return existing;
    const pool = new UpstreamPool(servers, merged, existing);
    this.pools.set(key, pool);
    return pool;
  }

  delete(key: string): boolean {
    return this.pools.delete(key);
  }

  entries(): IterableIterator<[string, UpstreamPool]> {
    return this.pools.entries();
  }

  values(): IterableIterator<UpstreamPool> {
    return this.pools.values();
  }
}
