import { randomToken } from '../../crypto/random.ts';
import {
  type Acquisition,
  type BreakerSnapshot,
  CircuitBreaker,
  isBreakerSnapshot,
  type MergeOutcome,
  type Permit,
  type TransitionEvent,
} from './breaker.ts';
import { type BreakerSettings, DEFAULT_BREAKER_SETTINGS, resolveBreakerSettings } from './settings.ts';

/** A breaker's key: `api` for the whole API, `api#upstream` for one upstream server of it. */
export interface BreakerKey {
  api: string;
  upstream?: string;
}

export const breakerKey = (api: string, upstream?: string): string =>
  upstream === undefined ? api : `${api}#${upstream}`;

/** Splits a key at its first `#` (API names cannot contain one). */
export function parseBreakerKey(key: string): BreakerKey {
  const at = key.indexOf('#');
  return at < 0 ? { api: key } : { api: key.slice(0, at), upstream: key.slice(at + 1) };
}

export interface BreakerRegistryOptions {
  /** Settings for every breaker unless an API brings its own (validated once, here). */
  defaults?: Partial<BreakerSettings>;
  /** Most breakers kept; beyond, the least recently used closed one goes first. Default 10,000. */
  maxBreakers?: number;
  /** Names this instance in episode ids; random by default. */
  instanceId?: string;
  /** Every state change of every breaker, with its key (publish it as an EventBridge event). */
  onTransition?: (key: string, event: TransitionEvent) => void;
}

export type RegistryAcquisition =
  | { permitted: true; permit: Permit }
  | { permitted: false; key: string; state: 'open' | 'half-open'; retryAfterMs: number };

interface Entry {
  breaker: CircuitBreaker;
  /** The settings object last given for this breaker, to skip re-resolving the same one. */
  source: Partial<BreakerSettings> | undefined;
}

/** Oldest entries looked at for a closed breaker to evict before giving up and evicting the oldest. */
const EVICTION_SCAN = 32;

/**
 * The breakers of one process, per API and per upstream server of an API, created on first use from
 * settings and kept in least-recently-used order up to `maxBreakers`. Eviction prefers closed breakers:
 * forgetting an open one would let traffic through to a failing upstream.
 */
export class BreakerRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly defaults: BreakerSettings;
  private readonly maxBreakers: number;
  private readonly instanceId: string;
  private readonly resolved = new WeakMap<object, BreakerSettings>();

  constructor(private readonly options: BreakerRegistryOptions = {}) {
    // The built-in defaults need no checking (nor a schema compiled at cold start to check them).
    this.defaults = options.defaults ? resolveBreakerSettings(options.defaults) : DEFAULT_BREAKER_SETTINGS;
    this.maxBreakers = Math.max(1, options.maxBreakers ?? 10_000);
    this.instanceId = options.instanceId ?? randomToken(6);
  }

  get size(): number {
    return this.entries.size;
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * The breaker for an API (or one of its upstreams), created if needed. `settings` are the API's own
   * (completed with the defaults); when they change, the breaker is reconfigured in place, keeping its
   * state. Without `settings`, an existing breaker keeps whatever it has.
   */
  get(api: string, upstream?: string, settings?: Partial<BreakerSettings>): CircuitBreaker {
    const key = breakerKey(api, upstream);
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      if (settings !== undefined && settings !== entry.source) {
        const next = this.resolve(settings);
        if (!sameSettings(next, entry.breaker.settings)) entry.breaker.reconfigure(next);
        entry.source = settings;
      }
      return entry.breaker;
    }
    entry = { breaker: this.create(key, this.resolve(settings)), source: settings };
    this.insert(key, entry);
    return entry.breaker;
  }

  peek(api: string, upstream?: string): CircuitBreaker | undefined {
    return this.entries.get(breakerKey(api, upstream))?.breaker;
  }

  /**
   * One call to `upstream` of `api`: both the API's breaker and the upstream's must permit it. The
   * API's breaker is asked first; if the upstream's then refuses, the API's permit is given back
   * (cancelled), so a probe slot is never wasted on a call that is not made. The returned permit
   * settles both.
   */
  acquire(
    api: string,
    upstream: string | undefined,
    now: number,
    settings?: Partial<BreakerSettings>,
  ): RegistryAcquisition {
    const first = this.get(api, undefined, settings).tryAcquire(now);
    if (!first.permitted) return refusal(api, first);
    if (upstream === undefined) return first;
    const key = breakerKey(api, upstream);
    const second = this.get(api, upstream, settings).tryAcquire(now);
    if (!second.permitted) {
      first.permit.cancel(now);
      return refusal(key, second);
    }
    return { permitted: true, permit: both(first.permit, second.permit) };
  }

  /** Every breaker's snapshot, to write to the shared store. */
  snapshots(now?: number): { key: string; snapshot: BreakerSnapshot }[] {
    return [...this.entries].map(([key, entry]) => ({ key, snapshot: entry.breaker.snapshot(now) }));
  }

  /**
   * Merges a snapshot read from the shared store (rules on `CircuitBreaker.merge`). A breaker this
   * instance does not have yet is created only for a running OPEN episode, with the default settings
   * until the API's own arrive through `get`: closed records never fill the registry.
   */
  merge(key: string, snapshot: unknown, now: number): MergeOutcome {
    const entry = this.entries.get(key);
    if (entry) return entry.breaker.merge(snapshot, now);
    if (!isBreakerSnapshot(snapshot)) return 'invalid';
    if (snapshot.state !== 'open' || snapshot.openUntil <= now) return 'same';
    const created: Entry = { breaker: this.create(key, this.defaults), source: undefined };
    this.insert(key, created);
    return created.breaker.merge(snapshot, now);
  }

  private resolve(settings: Partial<BreakerSettings> | undefined): BreakerSettings {
    if (!settings) return this.defaults;
    let resolved = this.resolved.get(settings);
    if (!resolved) {
      resolved = resolveBreakerSettings(settings, this.defaults);
      this.resolved.set(settings, resolved);
    }
    return resolved;
  }

  private create(key: string, settings: BreakerSettings): CircuitBreaker {
    const listener = this.options.onTransition;
    return new CircuitBreaker(settings, {
      instanceId: this.instanceId,
      ...(listener ? { onTransition: (event: TransitionEvent) => listener(key, event) } : {}),
    });
  }

  private insert(key: string, entry: Entry): void {
    if (this.entries.size >= this.maxBreakers) this.evictOne();
    this.entries.set(key, entry);
  }

  private evictOne(): void {
    let scanned = 0;
    let oldest: string | undefined;
    for (const [key, entry] of this.entries) {
      oldest ??= key;
      if (entry.breaker.snapshot().state === 'closed') {
        this.entries.delete(key);
        return;
      }
      if (++scanned >= EVICTION_SCAN) break;
    }
    if (oldest !== undefined) this.entries.delete(oldest);
  }
}

const refusal = (key: string, refused: Extract<Acquisition, { permitted: false }>): RegistryAcquisition => ({
  permitted: false,
  key,
  state: refused.state,
  retryAfterMs: refused.retryAfterMs,
});

/** One permit standing for two: settling it settles both, once. */
function both(a: Permit, b: Permit): Permit {
  return {
    kind: a.kind === 'probe' || b.kind === 'probe' ? 'probe' : 'call',
    acquiredAt: a.acquiredAt,
    get settled() {
      return a.settled && b.settled;
    },
    success(durationMs, now) {
      a.success(durationMs, now);
      b.success(durationMs, now);
    },
    failure(now) {
      a.failure(now);
      b.failure(now);
    },
    cancel(now) {
      a.cancel(now);
      b.cancel(now);
    },
  };
}

function sameSettings(a: Readonly<BreakerSettings>, b: Readonly<BreakerSettings>): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
