import { build } from 'esbuild';
import { externalModules, FUNCTION_BUILD_OPTIONS } from './infra/constructs/bundling.ts';

const entry = process.argv[2]!;
await build({
  ...FUNCTION_BUILD_OPTIONS,
  minify: false,
  entryPoints: [entry],
  external: externalModules(entry),
  outfile: `/tmp/prof/un.mjs`,
  absWorkingDir: process.cwd(),
});
