import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedStacks, synthKey } from './synth-cache.ts';

function fakeRepo() {
  const root = mkdtempSync(path.join(tmpdir(), 'portico-synth-key-'));
  for (const dir of ['infra/stacks', 'functions/gateway', 'shared/kernel', 'openapi'])
    mkdirSync(path.join(root, dir), { recursive: true });
  const write = (file: string, text: string) => writeFileSync(path.join(root, file), text);
  write('infra/stacks/api-stack.ts', 'export const a = 1;');
  write('functions/gateway/routes.ts', 'export const routes = [];');
  write('shared/kernel/names.ts', 'export const TABLE = "t";');
  write('openapi/portico.openapi.json', '{}');
  for (const file of ['cdk.json', 'package.json', 'package-lock.json']) write(file, '{}');
  return { root, write };
}

describe('the synthesized templates’ cache key', () => {
  it('changes with any source the app is built from, and with the CDK environment', () => {
    const { root, write } = fakeRepo();
    const first = synthKey(root, {});
    expect(synthKey(root, {})).toBe(first);
    write('shared/kernel/names.ts', 'export const TABLE = "u";');
    const edited = synthKey(root, {});
    expect(edited).not.toBe(first);
    write('functions/gateway/new-route.ts', 'export {};');
    const added = synthKey(root, {});
    expect(added).not.toBe(edited);
    expect(synthKey(root, { CDK_DEFAULT_REGION: 'eu-west-1' })).not.toBe(added);
    write('package-lock.json', '{"lockfileVersion":3}');
    expect(synthKey(root, {})).not.toBe(added);
  });

  it('ignores tests and the rest of the environment', () => {
    const { root, write } = fakeRepo();
    const before = synthKey(root, { PORTICO_STATE_DIR: '/tmp/a' });
    write('shared/kernel/names.test.ts', 'it("x", () => {});');
    expect(synthKey(root, { PORTICO_STATE_DIR: '/tmp/b' })).toBe(before);
  });
});

describe('cached stacks', () => {
  it('are read back for the same sources without synthesizing', async () => {
    const { root } = fakeRepo();
    const cacheDir = path.join(root, '.portico', 'cache');
    mkdirSync(cacheDir, { recursive: true });
    const stacks = [{ stackName: 'PorticoApi', template: { Resources: { Marker: { Type: 'Test::Only' } } } }];
    writeFileSync(path.join(cacheDir, `synth-${synthKey(root)}.json`), JSON.stringify(stacks));
    expect(await cachedStacks(root, cacheDir)).toEqual(stacks);
  });
});
