/**
 * How every function is bundled (esbuild, through `NodejsFunction`): shared with `bench/cold-start.ts`,
 * which builds the same bundles to measure their size and module init time.
 */
export const BUNDLE = {
  target: 'node22',
  mainFields: ['module', 'main'],
  /** ESM bundles still meet CommonJS dependencies that call `require`. */
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
} as const;
