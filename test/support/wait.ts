/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` every `intervalMs` until it returns a value, for effects that happen asynchronously
 * (pollers, registry views, revocation feeds); throws `message` once `timeoutMs` has passed.
 */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  { intervalMs = 250, message = 'condition not met in time' }: { intervalMs?: number; message?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(message);
    await sleep(intervalMs);
  }
}

/** Repeats `request` until it answers `status` (see `eventually`). */
export async function untilStatus(
  request: () => Promise<{ status: number }>,
  status: number,
  timeoutMs?: number,
): Promise<void> {
  await eventually(async () => ((await request()).status === status ? true : undefined), timeoutMs, {
    message: `no ${status} answer in time`,
  });
}

/**
 * Repeats `attempt` until `done` holds of its result or `timeoutMs` has passed, and returns the last
 * result either way, for the test to assert on.
 */
export async function retryUntil<T>(
  attempt: () => Promise<T>,
  done: (result: T) => boolean,
  timeoutMs: number,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let result = await attempt();
  while (!done(result) && Date.now() < deadline) {
    await sleep(intervalMs);
    result = await attempt();
  }
  return result;
}

/**
 * Waits for the next clock minute when fewer than `seconds` are left in this one, so that calls
 * counted per clock minute (rate-limit windows, failed-authentication counters) all fall in one.
 */
export async function untilMinuteHasRoom(seconds: number): Promise<void> {
  const secondsLeft = 60 - new Date().getUTCSeconds();
  if (secondsLeft < seconds) await sleep(secondsLeft * 1000 + 200);
}
