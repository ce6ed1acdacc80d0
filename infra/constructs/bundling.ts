import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BuildOptions } from 'esbuild';

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

/**
 * Libraries the code loads only when first needed (`shared/kernel/ajv.ts`, the transform rules):
 * kept out of the bundle, whose every byte is parsed at cold start, and shipped beside it in
 * `node_modules`, where that first `require` or `import()` finds them.
 */
export const SHIPPED_BESIDE = [
  'ajv',
  'ajv-formats',
  'jsonata',
  'fast-xml-parser',
  'json-schema-faker',
] as const;

/**
 * AWS SDK clients a function imports only on first use (`shared/aws/lambda.ts`, `upstream-sqs.ts`) and
 * leaves to the Lambda runtime's own AWS SDK: neither bundled nor shipped (from source, as locally,
 * they come from `node_modules`).
 */
export const FROM_LAMBDA_RUNTIME: Readonly<Record<string, readonly string[]>> = {
  'functions/gateway/handler.ts': ['@aws-sdk/client-lambda', '@aws-sdk/client-sqs'],
};

/** What a function's bundle leaves out (`entry`: its repository-relative handler module). */
export const externalModules = (entry: string) => [...SHIPPED_BESIDE, ...(FROM_LAMBDA_RUNTIME[entry] ?? [])];

/** The same bundle as esbuild options, to build one outside the CDK (the cold-start benchmark, tests). */
export const FUNCTION_BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  minify: true,
  target: BUNDLE.target,
  mainFields: [...BUNDLE.mainFields],
  banner: { js: BUNDLE.banner },
  external: [...SHIPPED_BESIDE],
  logLevel: 'error',
} satisfies BuildOptions;

/** The packages `name` needs at run time, itself included (dependencies and peers, as installed). */
export function packageClosure(nodeModules: string, name: string, into = new Set<string>()): Set<string> {
  if (into.has(name)) return into;
  const manifest = path.join(nodeModules, name, 'package.json');
  if (!existsSync(manifest)) return into;
  into.add(name);
  const { dependencies = {}, peerDependencies = {} } = JSON.parse(readFileSync(manifest, 'utf8'));
  for (const dependency of Object.keys({ ...dependencies, ...peerDependencies }))
    packageClosure(nodeModules, dependency, into);
  return into;
}

/**
 * Shell commands that copy into `outputDir/node_modules` each shipped-beside library the bundle refers
 * to (its name appears in `index.mjs`), with what it needs.
 */
export function shipBesideCommands(inputDir: string, outputDir: string, repoRoot: string): string[] {
  const nodeModules = path.join(repoRoot, 'node_modules');
  return SHIPPED_BESIDE.map((name) => {
    const copies = [...packageClosure(nodeModules, name)].map(
      (pkg) =>
        `mkdir -p "${outputDir}/node_modules/${path.dirname(pkg)}" && { [ -e "${outputDir}/node_modules/${pkg}" ] || cp -R "${inputDir}/node_modules/${pkg}" "${outputDir}/node_modules/${pkg}"; }`,
    );
    return `if grep -q '"${name}"' "${outputDir}/index.mjs"; then ${copies.join(' && ')}; fi`;
  });
}
