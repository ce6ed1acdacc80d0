import { randomToken } from '../../crypto/random.ts';
import { type BreakerSettings, maxBackoffLevel, openDurationMs, resolveBreakerSettings } from './settings.ts';
import { type Outcome, SlidingWindow } from './window.ts';

/**
 * A circuit breaker for one API or one upstream server of an API. Pure: no I/O, no timers; every
 * method takes `now` (ms) from an injected clock, and time-driven decisions (a silent probe failing,
 * the half-open deadline) are taken lazily, at the logical instant they were due, by the next call.
 *
 * States:
 * - **closed**: every call is permitted; outcomes go into a time-based sliding window. The breaker
 *   trips when the window holds `minimumCalls` and the failure rate or the slow-call rate reaches its
 *   threshold, or after `consecutiveFailures` failures in a row at any volume.
 * - **open**: every call is refused with `retryAfterMs` until `openUntil`. The open period is
 *   `openBaseMs` × 2^level up to `openMaxMs`; the level grows on each trip that follows a close by less
 *   than `backoffResetMs` (flapping) and on each failed half-open episode, and starts at 0 again after
 *   a healthy close.
 * - **half-open**: entered by the first call after `openUntil` (that call is the first probe), so an
 *   idle API spends no time half-open. At most `halfOpenProbes` probes are admitted per episode —
 *   in flight and in total — and every other call is refused, so no burst leaks through. Probes are
 *   judged with the window's thresholds over the episode's budget: the breaker reopens (one level up)
 *   as soon as failures, or slow calls, make the threshold certain; it closes when every probe has
 *   succeeded within the thresholds. A probe that has not reported after `halfOpenTimeoutMs` counts
 *   as failed, and an episode still undecided `halfOpenTimeoutMs` × `halfOpenProbes` after it began is
 *   decided on the probes that did report (low traffic): half-open can never get stuck.
 *
 * A permit is settled once (`success`, `failure` or `cancel`); later calls are no-ops, and so is
 * settling a permit taken before the breaker last changed state: late answers from before a trip
 * neither count in the new state nor re-trip it. `cancel` gives back a permit whose call was never
 * made (a probe slot is freed); a call permitted while closed and never settled simply does not count.
 *
 * Sharing across instances (`snapshot` / `merge`) is coarse and eventually consistent: the hot path
 * never leaves the process, and the integrator exchanges snapshots with a shared store every few
 * seconds. The rules are on `merge`.
 */

export type BreakerState = 'closed' | 'open' | 'half-open';

export type TransitionReason =
  | 'failure-rate'
  | 'slow-call-rate'
  | 'consecutive-failures'
  /** open → half-open: the open period is over and a call arrived (it is the first probe). */
  | 'open-elapsed'
  | 'probe-failed'
  | 'probes-succeeded'
  | 'remote';

export interface ProbeMetrics {
  /** Probes admitted in the current (or last) half-open episode, cancelled ones excluded. */
  admitted: number;
  inFlight: number;
  succeeded: number;
  /** Failed probes, including probes that did not report within `halfOpenTimeoutMs`. */
  failed: number;
  /** Succeeded probes that were slow calls. */
  slow: number;
}

export interface BreakerMetrics {
  /** Calls in the sliding window (closed state). */
  calls: number;
  failures: number;
  slowCalls: number;
  /** Percentages of `calls`; 0 when the window is empty. */
  failureRate: number;
  slowCallRate: number;
  consecutiveFailures: number;
  probes: ProbeMetrics;
  backoffLevel: number;
}

export interface TransitionEvent {
  from: BreakerState;
  to: BreakerState;
  reason: TransitionReason;
  /** When the transition took effect (the logical instant, e.g. a probe's deadline). */
  at: number;
  /** The open episode the transition belongs to. */
  episode: string;
  /** The breaker's version after the transition. */
  version: number;
  /** End of the open period, when `to` is `open`. */
  openUntil?: number;
  metrics: BreakerMetrics;
}

export type TransitionListener = (event: TransitionEvent) => void;

/** What instances exchange. Plain JSON. */
export interface BreakerSnapshot {
  state: BreakerState;
  /**
   * Lamport version: every local transition sets it to one more than the highest version this breaker
   * has produced or merged, so a snapshot produced after merging another has a higher version.
   */
  version: number;
  /** Id of the current open episode, or of the last one when closed ('' if never opened). */
  episode: string;
  openedAt: number;
  openUntil: number;
  backoffLevel: number;
  /** When the breaker last closed (0 if never). */
  closedAt: number;
}

export type MergeOutcome =
  /** The remote open episode was adopted (the local breaker opened or switched episode). */
  | 'adopted'
  /** The remote closed the very episode the local breaker was in: the local breaker closed. */
  | 'closed-by-remote'
  /** Nothing to learn: the same episode, or both closed, or a remote probing an episode we do not know. */
  | 'same'
  /** The remote reports an episode this breaker has already left behind. */
  | 'stale'
  /** The local state is more severe or newer than the remote one and stays. */
  | 'kept-local'
  | 'invalid';

export interface Permit {
  /** `call` when permitted while closed, `probe` when admitted while half-open. */
  readonly kind: 'call' | 'probe';
  readonly acquiredAt: number;
  readonly settled: boolean;
  /** The call succeeded after `durationMs` (slow from `slowCallDurationMs`). */
  success(durationMs: number, now: number): void;
  failure(now: number): void;
  /** The call was not made after all: the permit is given back without an outcome. */
  cancel(now: number): void;
}

export type Acquisition =
  | { permitted: true; permit: Permit }
  | { permitted: false; state: 'open' | 'half-open'; retryAfterMs: number };

export interface CircuitBreakerOptions {
  /** Names this instance in episode ids; random by default. */
  instanceId?: string;
  onTransition?: TransitionListener;
}

/** Episodes remembered to recognise stale remote snapshots; far more than can be live at once. */
const KNOWN_EPISODES = 32;

const STATES: ReadonlySet<string> = new Set(['closed', 'open', 'half-open']);
const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** Whether a value received from another instance has the shape of a snapshot. */
export function isBreakerSnapshot(value: unknown): value is BreakerSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  return (
    typeof s.state === 'string' &&
    STATES.has(s.state) &&
    isFiniteNumber(s.version) &&
    s.version >= 0 &&
    s.version <= Number.MAX_SAFE_INTEGER / 2 &&
    typeof s.episode === 'string' &&
    s.episode.length <= 200 &&
    (s.state === 'closed' || s.episode !== '') &&
    isFiniteNumber(s.openedAt) &&
    isFiniteNumber(s.openUntil) &&
    isFiniteNumber(s.backoffLevel) &&
    s.backoffLevel >= 0 &&
    isFiniteNumber(s.closedAt)
  );
}

const percent = (part: number, whole: number): number => (whole === 0 ? 0 : (part * 100) / whole);

export class CircuitBreaker {
  private config: BreakerSettings;
  private window: SlidingWindow;
  private readonly instanceId: string;
  private readonly listeners = new Set<TransitionListener>();

  private current: BreakerState = 'closed';
  private versionValue = 0;
  /** Local generation, bumped on every state or episode change; a permit is only valid in its own. */
  private generation = 0;
  private episode = '';
  private episodeSeq = 0;
  private readonly knownEpisodes: string[] = [];
  private openedAt = 0;
  private openUntil = 0;
  private backoffLevel = 0;
  private closedAt = 0;
  private consecutive = 0;
  private halfOpenSince = 0;
  private probes = { admitted: 0, succeeded: 0, failed: 0, slow: 0 };
  /** Probes in flight: id → admission time, in admission order (so the first entry is the oldest). */
  private readonly inFlight = new Map<number, number>();
  private nextProbeId = 0;
  private lastNow = Number.NEGATIVE_INFINITY;

  constructor(settings: Partial<BreakerSettings> = {}, options: CircuitBreakerOptions = {}) {
    this.config = resolveBreakerSettings(settings);
    this.window = new SlidingWindow(this.config.windowMs, this.config.bucketMs);
    this.instanceId = options.instanceId ?? randomToken(6);
    if (options.onTransition) this.listeners.add(options.onTransition);
  }

  get settings(): Readonly<BreakerSettings> {
    return this.config;
  }

  get version(): number {
    return this.versionValue;
  }

  /** Registers a listener for every state change (e.g. to publish an EventBridge event); returns its removal. */
  onTransition(listener: TransitionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The state at `now` (applying probe timeouts and the half-open deadline). */
  state(now: number): BreakerState {
    this.advance(now);
    return this.current;
  }

  /** Asks to make one call. Synchronous and O(1) apart from the window sum. */
  tryAcquire(now: number): Acquisition {
    const t = this.advance(now);
    if (this.current === 'closed') return { permitted: true, permit: this.permit('call', t, -1) };
    if (this.current === 'open') {
      if (t < this.openUntil) return { permitted: false, state: 'open', retryAfterMs: this.openUntil - t };
      this.transition('half-open', 'open-elapsed', t);
    }
    return this.admitProbe(t);
  }

  /**
   * Whether `tryAcquire(now)` would permit a call, without taking a permit or a probe slot (e.g. for an
   * upstream balancer skipping refused servers).
   */
  wouldPermit(now: number): boolean {
    const t = this.advance(now);
    if (this.current === 'closed') return true;
    if (this.current === 'open') return t >= this.openUntil;
    return this.probes.admitted < this.config.halfOpenProbes;
  }

  metrics(now: number): BreakerMetrics {
    return this.metricsAt(this.advance(now));
  }

  /** What to share with other instances; pass `now` to apply due time-driven transitions first. */
  snapshot(now?: number): BreakerSnapshot {
    if (now !== undefined) this.advance(now);
    return {
      state: this.current,
      version: this.versionValue,
      episode: this.episode,
      openedAt: this.openedAt,
      openUntil: this.openUntil,
      backoffLevel: this.backoffLevel,
      closedAt: this.closedAt,
    };
  }

  /**
   * Folds another instance's snapshot into this breaker. Rules, in order:
   *
   * 1. Anything that is not a well-formed snapshot is ignored (`invalid`), including versions so large
   *    they would poison the clock.
   * 2. Same episode. A remote CLOSED of the very episode this open or half-open breaker is in closes it
   *    (`closed-by-remote`, transition reason `remote`): one instance's successful probes close every
   *    instance of a shared episode. Any other snapshot of our own episode is `same`.
   * 3. A remote CLOSED of any other episode never closes nor shortens a local open or half-open period
   *    (`kept-local`): it comes from an instance that never saw our episode, or is stale. Two closed
   *    breakers have nothing to exchange (`same`).
   * 4. Staleness is judged by episode identity, not by version (a Lamport version cannot tell a stale
   *    snapshot from a concurrent one): an open or half-open remote episode this breaker has already
   *    left — closed it, or replaced it by another — is `stale` and changes nothing, even if its
   *    `openUntil` is still ahead (replays, clock skew).
   * 5. A remote OPEN still running (`openUntil` > now) in an unknown episode opens a closed breaker
   *    (`adopted`, transition reason `remote`) and replaces the episode of an open or half-open breaker
   *    when it ends later (ties: higher version, then larger episode id); a half-open breaker goes back
   *    to open and its probes no longer count. Otherwise the local episode is `kept-local` (the other
   *    instance adopts ours when it merges our snapshot, so both converge on the later-ending one). The
   *    adopted `openUntil` is capped at now + `openMaxMs`, the level at this breaker's maximum: no remote
   *    can hold this breaker open longer than its own settings allow.
   * 6. A remote HALF-OPEN, or an OPEN whose time is over, in an unknown episode changes nothing: it is
   *    being probed there, and its outcome (closed, or a new episode) arrives with a later snapshot.
   * 7. Versions are Lamport clocks: after a merge the local version is at least the remote one; when the
   *    local state is kept over a remote one that differs (`kept-local`, `stale`), it is one more than the
   *    remote's, so a shared store that keeps the highest version (conditional write on `version`)
   *    converges to the most severe live episode. Every local transition adds one.
   * 8. Merging the same snapshot again changes nothing and emits no event. Switching from one open
   *    episode to another is not a state change: no event, but a new version.
   */
  merge(remote: unknown, now: number): MergeOutcome {
    if (!isBreakerSnapshot(remote)) return 'invalid';
    const t = this.advance(now);
    const remoteVersion = Math.floor(remote.version);
    const localVersion = this.versionValue;
    this.versionValue = Math.max(localVersion, remoteVersion);
    const localActive = this.current !== 'closed';
    let outcome: MergeOutcome;
    let localDominates = false;
    if (localActive && remote.episode === this.episode) {
      if (remote.state === 'closed') {
        this.closedAt = t;
        this.transition('closed', 'remote', t);
        outcome = 'closed-by-remote';
      } else outcome = 'same';
    } else if (remote.state === 'closed') {
      outcome = localActive ? 'kept-local' : 'same';
      localDominates = localActive;
    } else if (this.knows(remote.episode)) {
      outcome = 'stale';
      localDominates = true;
    } else if (remote.state === 'open' && remote.openUntil > t) {
      if (!localActive || this.remoteEndsLater(remote, localVersion)) {
        this.adopt(remote, t);
        outcome = 'adopted';
      } else {
        outcome = 'kept-local';
        localDominates = true;
      }
    } else {
      // Another instance is probing an episode we do not know: only a running open period outranks it.
      localDominates = this.current === 'open' && this.openUntil > t;
      outcome = localDominates ? 'kept-local' : 'same';
    }
    if (localDominates) this.versionValue = Math.max(this.versionValue, remoteVersion + 1);
    return outcome;
  }

  /** Applies new settings (validated like the constructor's); the window restarts only if its shape changed. */
  reconfigure(partial: Partial<BreakerSettings>): void {
    const settings = resolveBreakerSettings(partial);
    if (settings.windowMs !== this.config.windowMs || settings.bucketMs !== this.config.bucketMs) {
      this.window = new SlidingWindow(settings.windowMs, settings.bucketMs);
    }
    this.config = settings;
    this.backoffLevel = Math.min(this.backoffLevel, maxBackoffLevel(settings));
  }

  // ---------------------------------------------------------------------------------------------

  /** Moves the clock (never backwards) and takes every time-driven decision due by then. */
  private advance(now: number): number {
    const last = Number.isFinite(this.lastNow) ? this.lastNow : 0;
    const t = Number.isFinite(now) ? Math.max(now, this.lastNow) : last;
    this.lastNow = t;
    if (this.current === 'half-open') this.expireProbes(t);
    return t;
  }

  private expireProbes(t: number): void {
    const { halfOpenTimeoutMs, halfOpenProbes } = this.config;
    const deadline = this.halfOpenSince + halfOpenTimeoutMs * halfOpenProbes;
    while (this.current === 'half-open') {
      const oldest = this.inFlight.entries().next();
      const probeDue = oldest.done ? Number.POSITIVE_INFINITY : oldest.value[1] + halfOpenTimeoutMs;
      if (probeDue <= deadline && probeDue <= t) {
        this.inFlight.delete(oldest.value![0]);
        this.probes.failed += 1;
        this.judgeProbes(probeDue, false);
      } else {
        if (deadline <= t) this.judgeProbes(deadline, true);
        return;
      }
    }
  }

  private admitProbe(t: number): Acquisition {
    const { halfOpenProbes, halfOpenTimeoutMs } = this.config;
    if (this.probes.admitted < halfOpenProbes) {
      this.probes.admitted += 1;
      const id = this.nextProbeId++;
      this.inFlight.set(id, t);
      return { permitted: true, permit: this.permit('probe', t, id) };
    }
    // Every slot is taken: a decision comes at the latest when the last probe in flight times out.
    let decisionBy = this.halfOpenSince + halfOpenTimeoutMs * halfOpenProbes;
    let latest = Number.NEGATIVE_INFINITY;
    for (const at of this.inFlight.values()) latest = Math.max(latest, at + halfOpenTimeoutMs);
    if (latest > Number.NEGATIVE_INFINITY) decisionBy = Math.min(decisionBy, latest);
    return { permitted: false, state: 'half-open', retryAfterMs: Math.max(1, decisionBy - t) };
  }

  private permit(kind: 'call' | 'probe', t: number, probeId: number): Permit {
    const generation = this.generation;
    let settled = false;
    const settle = (outcome: Outcome | 'cancel', now: number): void => {
      if (settled) return;
      settled = true;
      this.settle(kind, generation, probeId, outcome, now);
    };
    return {
      kind,
      acquiredAt: t,
      get settled() {
        return settled;
      },
      success: (durationMs, now) =>
        settle(durationMs >= this.config.slowCallDurationMs ? 'slow' : 'success', now),
      failure: (now) => settle('failure', now),
      cancel: (now) => settle('cancel', now),
    };
  }

  private settle(
    kind: 'call' | 'probe',
    generation: number,
    probeId: number,
    outcome: Outcome | 'cancel',
    now: number,
  ): void {
    const t = this.advance(now);
    if (generation !== this.generation) return; // permitted before the last state change
    if (kind === 'call') {
      if (outcome === 'cancel') return;
      this.window.record(t, outcome);
      this.consecutive = outcome === 'failure' ? this.consecutive + 1 : 0;
      this.checkTrip(t);
      return;
    }
    if (!this.inFlight.delete(probeId)) return; // already counted as failed by its timeout
    if (outcome === 'cancel') {
      this.probes.admitted -= 1;
      return;
    }
    if (outcome === 'failure') this.probes.failed += 1;
    else {
      this.probes.succeeded += 1;
      if (outcome === 'slow') this.probes.slow += 1;
    }
    this.judgeProbes(t, false);
  }

  private checkTrip(t: number): void {
    const s = this.config;
    const w = this.window.totals(t);
    let reason: TransitionReason | undefined;
    if (w.calls >= s.minimumCalls && w.failures * 100 >= s.failureRateThreshold * w.calls)
      reason = 'failure-rate';
    else if (w.calls >= s.minimumCalls && w.slowCalls * 100 >= s.slowCallRateThreshold * w.calls) {
      reason = 'slow-call-rate';
    } else if (s.consecutiveFailures > 0 && this.consecutive >= s.consecutiveFailures) {
      reason = 'consecutive-failures';
    }
    if (!reason) return;
    const healthy = this.episode === '' || t - this.closedAt >= s.backoffResetMs;
    this.openEpisode(t, healthy ? 0 : this.backoffLevel + 1, reason);
  }

  /**
   * Judges the half-open episode over its whole budget: reopen as soon as the failures (or slow
   * calls) reach the threshold whatever the remaining probes do; close when every probe has reported.
   * At the deadline (`final`), judge on the probes that reported.
   */
  private judgeProbes(at: number, final: boolean): void {
    const s = this.config;
    const p = this.probes;
    const budget = s.halfOpenProbes;
    const settled = p.succeeded + p.failed;
    const over = (count: number, threshold: number, of: number) => count * 100 >= threshold * of;
    if (over(p.failed, s.failureRateThreshold, budget) || over(p.slow, s.slowCallRateThreshold, budget)) {
      this.openEpisode(at, this.backoffLevel + 1, 'probe-failed');
    } else if (p.admitted >= budget && this.inFlight.size === 0) {
      this.closedAt = at;
      this.transition('closed', 'probes-succeeded', at);
    } else if (final) {
      if (
        settled === 0 ||
        over(p.failed, s.failureRateThreshold, settled) ||
        over(p.slow, s.slowCallRateThreshold, settled)
      ) {
        this.openEpisode(at, this.backoffLevel + 1, 'probe-failed');
      } else {
        this.closedAt = at;
        this.transition('closed', 'probes-succeeded', at);
      }
    }
  }

  private openEpisode(at: number, level: number, reason: TransitionReason): void {
    this.episodeSeq += 1;
    this.episode = `${this.instanceId}:${at.toString(36)}:${this.episodeSeq}`;
    this.remember(this.episode);
    this.backoffLevel = Math.min(level, maxBackoffLevel(this.config));
    this.openedAt = at;
    this.openUntil = at + openDurationMs(this.config, this.backoffLevel);
    this.transition('open', reason, at);
  }

  private adopt(remote: BreakerSnapshot, t: number): void {
    this.remember(remote.episode);
    this.episode = remote.episode;
    this.openedAt = Math.min(remote.openedAt, t);
    this.openUntil = Math.min(remote.openUntil, t + this.config.openMaxMs);
    this.backoffLevel = Math.min(Math.floor(remote.backoffLevel), maxBackoffLevel(this.config));
    if (this.current === 'open') {
      // Same state, another episode: no transition event, but a new version for the store.
      this.generation += 1;
      this.versionValue += 1;
    } else this.transition('open', 'remote', t);
  }

  private transition(to: BreakerState, reason: TransitionReason, at: number): void {
    const from = this.current;
    const metrics = this.metricsAt(at);
    this.current = to;
    this.generation += 1;
    this.versionValue += 1;
    this.inFlight.clear();
    // Each closed period judges only its own calls (late answers from before are dropped by generation).
    this.window.reset();
    this.consecutive = 0;
    if (to === 'half-open') {
      this.halfOpenSince = at;
      this.probes = { admitted: 0, succeeded: 0, failed: 0, slow: 0 };
    }
    const event: TransitionEvent = {
      from,
      to,
      reason,
      at,
      episode: this.episode,
      version: this.versionValue,
      ...(to === 'open' ? { openUntil: this.openUntil } : {}),
      metrics,
    };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // Publishing a state change must never fail or corrupt the call that caused it.
      }
    }
  }

  private metricsAt(t: number): BreakerMetrics {
    const w = this.window.totals(t);
    return {
      calls: w.calls,
      failures: w.failures,
      slowCalls: w.slowCalls,
      failureRate: percent(w.failures, w.calls),
      slowCallRate: percent(w.slowCalls, w.calls),
      consecutiveFailures: this.consecutive,
      probes: { ...this.probes, inFlight: this.inFlight.size },
      backoffLevel: this.backoffLevel,
    };
  }

  private knows(episode: string): boolean {
    return this.knownEpisodes.includes(episode);
  }

  private remember(episode: string): void {
    if (this.knows(episode)) return;
    this.knownEpisodes.push(episode);
    if (this.knownEpisodes.length > KNOWN_EPISODES) this.knownEpisodes.shift();
  }

  private remoteEndsLater(remote: BreakerSnapshot, localVersion: number): boolean {
    if (remote.openUntil !== this.openUntil) return remote.openUntil > this.openUntil;
    if (remote.version !== localVersion) return remote.version > localVersion;
    return remote.episode > this.episode;
  }
}
