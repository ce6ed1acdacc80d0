import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LambdaHost, LambdaThrottledError } from './lambda-host.ts';
import type { LocalFunction } from './plan.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'portico-lambda-host-'));
writeFileSync(
  path.join(dir, 'slow.mjs'),
  'export const handler = (event) => new Promise((resolve) => setTimeout(() => resolve(event), event.ms));',
);

const fn = (name: string, reservedConcurrency?: number): LocalFunction & { name: string } => ({
  id: { stackName: 's', logicalId: name, resource: { Type: 'AWS::Lambda::Function' } },
  name,
  entry: 'slow.mjs',
  handler: 'handler',
  timeoutMs: 5_000,
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
});
