import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LambdaHost, LambdaThrottledError, LambdaTimeoutError } from './lambda-host.ts';
import type { LocalFunction } from './plan.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'portico-lambda-host-'));
writeFileSync(
  path.join(dir, 'slow.mjs'),
  'export const handler = (event) => new Promise((resolve) => setTimeout(() => resolve(event), event.ms));',
);

const fn = (
  name: string,
  reservedConcurrency?: number,
  timeoutMs = 5_000,
): LocalFunction & { name: string } => ({
  id: { stackName: 's', logicalId: name, resource: { Type: 'AWS::Lambda::Function' } },
  name,
  entry: 'slow.mjs',
  handler: 'handler',
  timeoutMs,
  ...(reservedConcurrency === undefined ? {} : { reservedConcurrency }),
});

describe('LambdaHost', () => {
  it('throttles a function beyond its reserved concurrency, and only that function', async () => {
    const host = new LambdaHost(
      new Map([
        ['capped', fn('capped', 2)],
        ['free', fn('free')],
      ]),
      dir,
    );
    await host.loadAll();
    const slow = [host.invoke('capped', { ms: 300 }), host.invoke('capped', { ms: 300 })];
    await expect(host.invoke('capped', { ms: 1 })).rejects.toBeInstanceOf(LambdaThrottledError);
    await expect(host.invoke('free', { ms: 1 })).resolves.toEqual({ ms: 1 });
    await Promise.all(slow);
    // The slots are back once the calls end.
    await expect(host.invoke('capped', { ms: 1 })).resolves.toEqual({ ms: 1 });
  });

  it('keeps a timed-out call’s slot until its handler ends, as a busy Lambda environment does', async () => {
    const host = new LambdaHost(new Map([['capped', fn('capped', 1, 100)]]), dir);
    await host.loadAll();
    const started = Date.now();
    await expect(host.invoke('capped', { ms: 400 })).rejects.toBeInstanceOf(LambdaTimeoutError);
    // The handler is still running: the function is at its reserved concurrency.
    await expect(host.invoke('capped', { ms: 1 })).rejects.toBeInstanceOf(LambdaThrottledError);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 450 - (Date.now() - started))));
    await expect(host.invoke('capped', { ms: 1 })).resolves.toEqual({ ms: 1 });
  });

  it('gives the slot back when the handler fails', async () => {
    writeFileSync(
      path.join(dir, 'failing.mjs'),
      'export const handler = async () => { throw new Error("no"); };',
    );
    const host = new LambdaHost(new Map([['capped', { ...fn('capped', 1), entry: 'failing.mjs' }]]), dir);
    await host.loadAll();
    for (let i = 0; i < 3; i++) await expect(host.invoke('capped', {})).rejects.toThrow('no');
  });
});
