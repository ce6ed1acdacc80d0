import { DomainError } from '../../kernel/errors.ts';

/**
 * Bulkheads: a cap on the calls one API group may have in flight in this process, so a slow group
 * fills its own compartment and gets fast 503s instead of taking every connection, socket and buffer
 * of the instance away from the other groups.
 *
 * - `tryEnter()` is synchronous and O(1) and never waits: there is deliberately no queue. A queue
 *   would only hold callers while the slow upstream keeps the slots busy, and they would time out
 *   at API Gateway (29 s) instead of being told at once to retry.
 * - The limit is per process. A standard Lambda execution environment serves one invocation at a time,
 *   so there the in-process bulkhead never rejects anything: the compartment there would be a
 *   function per group or a multi-concurrency environment (docs/architecture.md). The in-process
 *   bulkhead matters wherever one process serves many calls at once: the local runtime, Lambda
 *   functions with multi-concurrency execution environments, or a container deployment.
 */

/** Grants one in-flight slot. `release()` is idempotent: only the first call frees the slot. */
export interface Lease {
  readonly group: string;
  readonly released: boolean;
  release(): void;
}

export interface BulkheadMetrics {
  group: string;
  maxInFlight: number;
  inFlight: number;
  /** Highest `inFlight` seen since the bulkhead was created. */
  peakInFlight: number;
  /** Calls admitted since the bulkhead was created. */
  admitted: number;
  /** Calls refused because the group was full, since the bulkhead was created. */
  rejected: number;
}

/** Checks that a limit is a whole number ≥ 1. */
function checkLimit(group: string, maxInFlight: number): number {
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) {
    throw new RangeError(`Bulkhead "${group}": maxInFlight must be an integer ≥ 1, got ${maxInFlight}.`);
  }
  return maxInFlight;
}

export class Bulkhead {
  private current = 0;
  private peak = 0;
  private admittedCount = 0;
  private rejectedCount = 0;
  private limit: number;

  constructor(
    readonly group: string,
    maxInFlight: number,
  ) {
    this.limit = checkLimit(group, maxInFlight);
  }

  get maxInFlight(): number {
    return this.limit;
  }

  get inFlight(): number {
    return this.current;
  }

  /** Takes a slot, or returns `undefined` (and counts a rejection) when the group is full. */
  tryEnter(): Lease | undefined {
    if (this.current >= this.limit) {
      this.rejectedCount++;
      return undefined;
    }
    this.current++;
    this.admittedCount++;
    if (this.current > this.peak) this.peak = this.current;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.current--;
    };
    return {
      group: this.group,
      get released() {
        return released;
      },
      release,
    };
  }

  /**
   * Changes the limit (for a configuration refresh). Leases already granted stay valid; when the new
   * limit is lower than `inFlight`, new calls are refused until enough of them are released.
   */
  resize(maxInFlight: number): void {
    this.limit = checkLimit(this.group, maxInFlight);
  }

  metrics(): BulkheadMetrics {
    return {
      group: this.group,
      maxInFlight: this.limit,
      inFlight: this.current,
      peakInFlight: this.peak,
      admitted: this.admittedCount,
      rejected: this.rejectedCount,
    };
  }
}

export interface BulkheadConfig {
  /** The group of APIs that name none. Default `'default'`. */
  defaultGroup?: string;
  /** Limit of the default group and of any group without its own entry in `groups`. Default 32. */
  defaultMaxInFlight?: number;
  /** Per-group limits. */
  groups?: Record<string, number>;
}

export const BULKHEAD_DEFAULTS = {
  defaultGroup: 'default',
  /**
   * Each in-flight call may buffer an upstream answer of up to ~6 MB (`MAX_RESPONSE_BYTES`): 32 of
   * them are ~190 MB, which a 512 MB–1 GB function holds next to its own heap. Size a group from
   * Little's law instead when its traffic is known: calls per second per instance × p99 latency,
   * with headroom.
   */
  defaultMaxInFlight: 32,
} as const;

/**
 * Group name → bulkhead. An API without a group lands in the default group (one shared compartment);
 * a group named by an API but missing from the configuration gets its own compartment with the
 * default limit, so a new group is still isolated from the others.
 */
export class BulkheadRegistry {
  readonly defaultGroup: string;
  private readonly defaultMaxInFlight: number;
  private limits: Map<string, number>;
  private readonly bulkheads = new Map<string, Bulkhead>();

  constructor(config: BulkheadConfig = {}) {
    this.defaultGroup = config.defaultGroup ?? BULKHEAD_DEFAULTS.defaultGroup;
    this.defaultMaxInFlight = checkLimit(
      this.defaultGroup,
      config.defaultMaxInFlight ?? BULKHEAD_DEFAULTS.defaultMaxInFlight,
    );
    this.limits = BulkheadRegistry.limitsOf(config.groups);
  }

  private static limitsOf(groups: Record<string, number> = {}): Map<string, number> {
    return new Map(Object.entries(groups).map(([group, limit]) => [group, checkLimit(group, limit)]));
  }

  /** The bulkhead of `group` (the default group when `group` is undefined or empty). */
  get(group?: string): Bulkhead {
    const name = group || this.defaultGroup;
    let bulkhead = this.bulkheads.get(name);
    if (!bulkhead) {
      bulkhead = new Bulkhead(name, this.limitOf(name));
      this.bulkheads.set(name, bulkhead);
    }
    return bulkhead;
  }

  /** Shorthand for `get(group).tryEnter()`. */
  tryEnter(group?: string): Lease | undefined {
    return this.get(group).tryEnter();
  }

  /** Takes a slot or throws the fast 503 the gateway answers with. */
  enter(group?: string): Lease {
    const lease = this.tryEnter(group);
    if (!lease) throw bulkheadFull();
    return lease;
  }

  /** Applies new per-group limits to the existing bulkheads and to those created later. */
  reconfigure(groups: Record<string, number>): void {
    this.limits = BulkheadRegistry.limitsOf(groups);
    for (const [name, bulkhead] of this.bulkheads) bulkhead.resize(this.limitOf(name));
  }

  metrics(): BulkheadMetrics[] {
    return [...this.bulkheads.values()].map((b) => b.metrics());
  }

  private limitOf(group: string): number {
    return this.limits.get(group) ?? this.defaultMaxInFlight;
  }
}

/**
 * The answer for a full group: 503 with `Retry-After: 1` (slots free as soon as calls finish). The
 * group name stays out of the body; callers need not know how APIs are grouped.
 */
export function bulkheadFull(): DomainError {
  return new DomainError(
    'bulkhead-full',
    'Too many calls to this API are in progress; retry shortly.',
    {},
    { retryAfterSeconds: 1 },
  );
}
