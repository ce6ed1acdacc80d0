import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sourceDigest } from './source-digest.ts';
import type { StackTemplate } from './template.ts';

/** What the CDK app is built from: its code, what that code imports, its settings and dependencies. */
const SOURCE_DIRS = ['infra', 'functions', 'shared', 'openapi'];
const SOURCE_FILES = ['cdk.json', 'package.json', 'package-lock.json'];
/** The only environment the app reads while it synthesizes (infra/app.ts). */
const SYNTH_ENV = ['CDK_DEFAULT_ACCOUNT', 'CDK_DEFAULT_REGION'];

/** A digest of everything the synthesized templates depend on; any change to it means a new synth. */
export const synthKey = (repoRoot: string, env: NodeJS.ProcessEnv = process.env): string =>
  sourceDigest(repoRoot, {
    dirs: SOURCE_DIRS,
    files: SOURCE_FILES,
    extra: SYNTH_ENV.map((name) => `${name}=${env[name] ?? ''}`),
  });

/**
 * The CDK app's templates, synthesized once per version of its sources and kept in `cacheDir`:
 * synthesis (aws-cdk-lib's import included) is most of a start, and the sources rarely change
 * between starts. An entry is written to a temporary file and renamed, so a concurrent start never
 * reads half of one; older entries are removed.
 */
export async function cachedStacks(repoRoot: string, cacheDir: string): Promise<StackTemplate[]> {
  const key = synthKey(repoRoot);
  const file = path.join(cacheDir, `synth-${key}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StackTemplate[];
  } catch {
    // Not synthesized yet for these sources, or unreadable: synthesize.
  }
  const { synthStacks } = await import('./synth.ts');
  const stacks = synthStacks();
  try {
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(stacks));
    renameSync(partial, file);
    for (const name of readdirSync(cacheDir)) {
      if (name.startsWith('synth-') && name !== path.basename(file) && !name.endsWith('.tmp'))
        rmSync(path.join(cacheDir, name), { force: true });
    }
  } catch {
    // A checkout that cannot be written to synthesizes at every start.
  }
  return stacks;
}
