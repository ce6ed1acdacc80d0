import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../infra/repo-root.ts';
import { INITIAL_LOAD_BUDGET_BYTES, initialLoad } from '../local/web-budget.ts';

/** The web app the platform serves (built by the test setup's runtime) within its first-load budget. */
describe('the web app bundle', () => {
  it(`loads at most ${INITIAL_LOAD_BUDGET_BYTES / 1024} KB gzipped before it runs`, () => {
    const { files, totalBytes } = initialLoad(path.join(REPO_ROOT, 'web', 'dist'));
    console.log(
      `web first load: ${(totalBytes / 1024).toFixed(1)} KB gzipped (${files.map((f) => `${f.file} ${(f.gzipBytes / 1024).toFixed(1)} KB`).join(', ')})`,
    );
    expect(files.some((f) => f.file.endsWith('.js'))).toBe(true);
    expect(totalBytes).toBeLessThanOrEqual(INITIAL_LOAD_BUDGET_BYTES);
  });
});
