/** After a failed load, the next one is not tried before this: the store is not asked at request rate. */
export const CACHE_RETRY_AFTER_FAILURE_MS = 1_000;

/**
 * How long after a refresh of a view started requests still wait for it, rather than answer from the
 * view they have (the refresh goes on in the background). A healthy store answers in milliseconds; a
 * hung one must not hold requests for the client's whole timeout, once per cache they pass through.
 */
export const STALE_VIEW_WAIT_MS = 250;

/** Resolves once `work` settles or `ms` have passed, whichever is first; never rejects. */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  if (ms <= 0) {
    work.catch(noop);
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([work.then(noop, noop), elapsed]);
  } finally {
    clearTimeout(timer);
  }
}

function noop() {}

/**
 * A value loaded on demand and kept for `ttlMs`. Concurrent callers share one load, and a failed
 * refresh keeps serving the last good value (stale beats down for configuration and keys).
 *
 * A caller that finds the value expired waits for the reload until `staleWaitMs` after it started,
 * then gets the last value. While the store is failing no caller waits for it: the last value (or
 * the last error, when there is none) is answered at once, and a new load is tried in the background
 * at most every `retryAfterFailureMs`. Only a caller with nothing cached waits for a whole load.
 */
export class TtlCache<T> {
  private value: { data: T; loadedAt: number } | undefined;
  private inflight: Promise<T> | undefined;
  private inflightSince = 0;
  private failure: { error: unknown; retryAt: number } | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
    private readonly retryAfterFailureMs = CACHE_RETRY_AFTER_FAILURE_MS,
    private readonly staleWaitMs = STALE_VIEW_WAIT_MS,
  ) {}

  async get(): Promise<T> {
    if (this.value && this.clock() - this.value.loadedAt < this.ttlMs) return this.value.data;
    if (!this.value) return this.refresh();
    const reload = this.refresh();
    const wait = this.failure ? 0 : this.inflightSince + this.staleWaitMs - this.clock();
    await settleWithin(reload, wait);
    return this.value.data;
  }

  /** The value held now, however old, without loading. */
  peek(): T | undefined {
    return this.value?.data;
  }

  /** When the load in progress started; undefined when none is. */
  loadingSince(): number | undefined {
    return this.inflight ? this.inflightSince : undefined;
  }

  /** Loads now, unless the value is younger than `minAgeMs` (protects the store from refresh storms). */
  async refresh(minAgeMs = 0): Promise<T> {
    if (this.value && minAgeMs > 0 && this.clock() - this.value.loadedAt < minAgeMs) return this.value.data;
    if (this.failure && this.clock() < this.failure.retryAt) {
      if (this.value) return this.value.data;
      throw this.failure.error;
    }
    if (!this.inflight) this.inflightSince = this.clock();
    this.inflight ??= this.load()
      .then((data) => {
        this.value = { data, loadedAt: this.clock() };
        this.failure = undefined;
        return data;
      })
      .catch((error) => {
        this.failure = { error, retryAt: this.clock() + this.retryAfterFailureMs };
        if (this.value) return this.value.data;
        throw error;
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }
}
