import { setImmediate as flush } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { generateLoad } from './load-generator.ts';
import type { LoadProfile } from './load-run.ts';

/** Virtual time: sleeps and answers wait on timers that `run` fires in order, as fast as it can. */
class VirtualTime {
  now = 0;
  private timers: { at: number; fire: () => void }[] = [];
  clock = () => this.now;
  after = (ms: number) =>
    new Promise<void>((fire) => {
      this.timers.push({ at: this.now + ms, fire });
    });

  async run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    void work.finally(() => {
      done = true;
    });
    while (true) {
      await flush();
      if (done) return work;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift();
      if (!next) throw new Error('stuck: nothing left to wait for');
      this.now = Math.max(this.now, next.at);
      next.fire();
    }
  }
}

const load = (
  profile: LoadProfile,
  answer: (i: number) => { status?: number; latencyMs: number } | 'throw',
  progress?: (sent: number) => void,
) => {
  const time = new VirtualTime();
  const startedAt: number[] = [];
  let n = 0;
  const result = time.run(
    generateLoad(
      {
        clock: time.clock,
        sleep: time.after,
        send: async () => {
          const i = n++;
          startedAt.push(time.now);
          const a = answer(i);
          if (a === 'throw') {
            await time.after(10);
            throw new Error('refused');
          }
          await time.after(a.latencyMs);
          return a;
        },
        ...(progress ? { progress, progressEveryMs: 1_000 } : {}),
      },
      profile,
    ),
  );
  return { result, startedAt };
};

describe('generating a load', () => {
  it('starts requests at the rate, whatever the answers take, and waits for the last answer', async () => {
    const { result, startedAt } = load({ ratePerSecond: 10, durationSeconds: 2, concurrency: 20 }, () => ({
      status: 200,
      latencyMs: 500,
    }));
    const { samples, durationMs } = await result;
    expect(startedAt).toEqual(Array.from({ length: 20 }, (_, i) => Math.round(i * 100)));
    expect(samples).toHaveLength(20);
    expect(samples.every((s) => s.kind === 'sent' && s.status === 200)).toBe(true);
    expect(durationMs).toBe(1_900 + 500);
  });

  it('drops a request due while `concurrency` are in flight, instead of sending it late', async () => {
    // Each answer takes 250 ms at 10 per second: three are in flight when the fourth is due.
    const { result, startedAt } = load({ ratePerSecond: 10, durationSeconds: 1, concurrency: 2 }, () => ({
      status: 200,
      latencyMs: 250,
    }));
    const { samples } = await result;
    expect(samples).toHaveLength(10);
    const dropped = samples.filter((s) => s.kind === 'dropped').map((s) => s.dueMs);
    expect(dropped.length).toBeGreaterThan(0);
    expect(startedAt.length + dropped.length).toBe(10);
    for (const at of startedAt) expect(dropped).not.toContain(at);
  });

  it('counts a request without an answer as sent with no status', async () => {
    const { result } = load({ ratePerSecond: 2, durationSeconds: 1, concurrency: 1 }, (i) =>
      i === 0 ? 'throw' : { status: 201, latencyMs: 5 },
    );
    const { samples } = await result;
    expect(samples).toEqual([
      { kind: 'sent', dueMs: 0, latencyMs: 0 },
      { kind: 'sent', dueMs: 500, latencyMs: 5, status: 201 },
    ]);
  });

  it('reports progress now and then, never more often than asked', async () => {
    const seen: number[] = [];
    const { result } = load(
      { ratePerSecond: 10, durationSeconds: 3, concurrency: 5 },
      () => ({ status: 200, latencyMs: 1 }),
      (sent) => seen.push(sent),
    );
    await result;
    expect(seen).toEqual([11, 21]);
  });
});
