/** Seconds a breaker record lives after its last write (no open period lasts longer: `openMaxMs` ≤ 1 h). */
export const BREAKER_RECORD_TTL_SECONDS = 3_600;

/** Seconds a health result lives after its write: ten runs of a one-minute schedule. */
export const HEALTH_RECORD_TTL_SECONDS = 600;

/** Most records a read returns; far above the breakers and upstreams a deployment has live at once. */
export const MAX_RECORDS_READ = 2_000;
