import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../infra/repo-root.ts';
import { sourceDigest } from './source-digest.ts';
import { INITIAL_LOAD_BUDGET_BYTES, initialLoad } from './web-budget.ts';

const STAMP = '.source-digest';

/** What the web app's bundle is built from: its sources and the dependencies it bundles. */
export const webSourceDigest = (repoRoot: string): string =>
  sourceDigest(repoRoot, {
    dirs: ['web'],
    skipDirs: [path.join('web', 'dist')],
    files: ['package-lock.json'],
  });

/** Vite's build in a process of its own: nothing it starts outlives the build. */
async function buildWeb(repoRoot: string): Promise<void> {
  const vite = path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  await promisify(execFile)(
    process.execPath,
    [vite, 'build', '--config', path.join(repoRoot, 'web', 'vite.config.ts'), '--logLevel', 'warn'],
    // A production build whoever starts it (vitest sets NODE_ENV=test, which would bundle React's dev build).
    { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NODE_ENV: 'production' } },
  );
}

/**
 * The web app's files in `web/dist`, built with Vite when they are missing or older than its sources
 * (a stamp records the digest they were built from), so `npm start` on a fresh clone serves them.
 */
export async function ensureWebBuild(
  repoRoot: string,
  log: (line: string) => void,
  force = false,
): Promise<string> {
  const dist = path.join(repoRoot, 'web', 'dist');
  const stamp = path.join(dist, STAMP);
  const digest = webSourceDigest(repoRoot);
  if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return dist;
  const started = Date.now();
  await buildWeb(repoRoot);
  const { totalBytes } = initialLoad(dist);
  const size = `${(totalBytes / 1024).toFixed(1)} KB gzipped`;
  if (totalBytes > INITIAL_LOAD_BUDGET_BYTES) {
    throw new Error(
      `the web app's first load is ${size}, over its ${INITIAL_LOAD_BUDGET_BYTES / 1024} KB budget`,
    );
  }
  writeFileSync(stamp, digest);
  log(`built the web app in ${((Date.now() - started) / 1000).toFixed(1)} s (first load ${size})`);
  return dist;
}

// `npm run build:web`: always builds, and stamps the result so the runtime does not build it again.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await ensureWebBuild(REPO_ROOT, (line) => console.log(line), true);
}
