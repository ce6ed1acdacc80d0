import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isAlive, startRuntimeProcess } from './support/runtime-process.ts';
import { TestUpstream } from './support/upstream.ts';
import { eventually, sleep } from './support/wait.ts';

/** Process ids of `pid`'s whole process tree, read from /proc. */
function descendants(pid: number): number[] {
  const out = spawnSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' }).stdout;
  const children = new Map<number, number[]>();
  for (const line of out.trim().split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      found.push(c);
      walk(c);
    }
  };
  walk(pid);
  return found;
}

describe('npm start lifecycle', () => {
  it('leaves no process behind after SIGTERM', async () => {
    const runtime = await startRuntimeProcess();
    const tree = [runtime.child.pid!, ...descendants(runtime.child.pid!)];
    expect(runtime.info.pids.emulator).toBeDefined();
    expect(tree).toContain(runtime.info.pids.emulator);
    const code = await runtime.stop();
    expect(code).toBe(0);
    await sleep(200);
    expect(tree.filter(isAlive)).toEqual([]);
  }, 120_000);

  it('leaves no process behind when only the npm process gets SIGTERM', async () => {
    const runtime = await startRuntimeProcess({}, ['npm', 'start']);
    const tree = [runtime.child.pid!, ...descendants(runtime.child.pid!)];
    expect(tree).toContain(runtime.info.pids.runtime);
    expect(tree).toContain(runtime.info.pids.emulator);
    await runtime.stop();
    await eventually(async () => (tree.some(isAlive) ? undefined : true), 10_000);
  }, 120_000);

  it('takes the emulator down even when the runtime is killed outright', async () => {
    const runtime = await startRuntimeProcess();
    const emulator = runtime.info.pids.emulator!;
    runtime.child.kill('SIGKILL');
    await eventually(async () => (isAlive(emulator) ? undefined : true), 10_000);
  }, 120_000);

  it('says clearly when an explicitly chosen port is busy, and starts nothing', async () => {
    const blocker = await new TestUpstream().start();
    const { port } = blocker;
    try {
      await expect(startRuntimeProcess({ PORT: String(port) })).rejects.toThrow(
        `port ${port} is already in use`,
      );
    } finally {
      await blocker.stop();
    }
  }, 120_000);
});
