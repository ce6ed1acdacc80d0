import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

function sourceFiles(repoRoot: string, dir: string, skipDirs: ReadonlySet<string>): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(repoRoot, dir), { withFileTypes: true })) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skipDirs.has(relative)) files.push(...sourceFiles(repoRoot, relative, skipDirs));
    } else if (!entry.name.endsWith('.test.ts')) files.push(relative);
  }
  return files;
}

/**
 * A digest of the files under `dirs` (tests left out, `skipDirs` not entered), the single `files`, and
 * any `extra` strings: what a build depends on, so a changed digest means building again.
 */
export function sourceDigest(
  repoRoot: string,
  sources: { dirs: string[]; files: string[]; skipDirs?: string[]; extra?: string[] },
): string {
  const hash = createHash('sha256');
  const skip = new Set(sources.skipDirs ?? []);
  const files = [...sources.dirs.flatMap((dir) => sourceFiles(repoRoot, dir, skip)), ...sources.files].sort();
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(repoRoot, file)));
    hash.update('\0');
  }
  for (const value of sources.extra ?? []) hash.update(`${value}\0`);
  return hash.digest('hex').slice(0, 32);
}
