import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../repo-root.ts';
import {
  externalModules,
  FUNCTION_BUILD_OPTIONS,
  packageClosure,
  SHIPPED_BESIDE,
  shipBesideCommands,
} from './bundling.ts';

const work = mkdtempSync(path.join(tmpdir(), 'portico-bundling-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Builds `source` as a function bundle is built, then runs the copy commands of its construct. */
async function functionBundle(source: string): Promise<string> {
  const entry = path.join(REPO_ROOT, 'infra', `.bundling-probe-${process.pid}.ts`);
  writeFileSync(entry, source);
  const output = path.join(work, 'asset');
  try {
    await build({
      entryPoints: [entry],
      outfile: path.join(output, 'index.mjs'),
      ...FUNCTION_BUILD_OPTIONS,
    });
  } finally {
    rmSync(entry, { force: true });
  }
  for (const command of shipBesideCommands(REPO_ROOT, output, REPO_ROOT)) execFileSync('sh', ['-c', command]);
  return output;
}

describe("the gateway's bundle", () => {
  it('imports the SDK clients of Lambda and queue upstreams only when first used, from the Lambda runtime', async () => {
    const entry = 'functions/gateway/handler.ts';
    expect(externalModules(entry)).toEqual(
      expect.arrayContaining(['@aws-sdk/client-lambda', '@aws-sdk/client-sqs']),
    );
    const built = await build({
      ...FUNCTION_BUILD_OPTIONS,
      entryPoints: [path.join(REPO_ROOT, entry)],
      external: externalModules(entry),
      outfile: path.join(work, 'gateway.mjs'),
      write: false,
    });
    const code = built.outputFiles[0]!.text;
    for (const name of ['@aws-sdk/client-lambda', '@aws-sdk/client-sqs', ...SHIPPED_BESIDE]) {
      expect(code, name).not.toMatch(new RegExp(`from\\s*"${name}"`));
    }
    expect(code).toContain('import("@aws-sdk/client-lambda")');
    expect(code).toContain('import("json-schema-faker")');
  }, 60_000);
});

describe('the hot-path bundles', () => {
  const packagesOf = async (entry: string) => {
    const built = await build({
      ...FUNCTION_BUILD_OPTIONS,
      entryPoints: [path.join(REPO_ROOT, entry)],
      external: externalModules(entry),
      outfile: path.join(work, 'packages.mjs'),
      metafile: true,
      write: false,
    });
    return Object.keys(built.metafile.inputs).join('\n');
  };

  it('leave the X-Ray SDK out, which the other functions trace their AWS calls with', async () => {
    for (const entry of [
      'functions/gateway/handler.ts',
      'functions/oauth/token.ts',
      'functions/discovery/handler.ts',
    ]) {
      expect(await packagesOf(entry), entry).not.toMatch(/aws-xray-sdk-core|powertools\/tracer/);
    }
    expect(await packagesOf('functions/messages/deliver.ts')).toMatch(/aws-xray-sdk-core/);
  }, 60_000);
});

describe('libraries shipped beside the bundle', () => {
  it('know what each needs at run time', () => {
    const nodeModules = path.join(REPO_ROOT, 'node_modules');
    expect([...packageClosure(nodeModules, 'ajv-formats')].sort()).toEqual(
      [
        'ajv',
        'ajv-formats',
        'fast-deep-equal',
        'fast-uri',
        'json-schema-traverse',
        'require-from-string',
      ].sort(),
    );
    expect([...packageClosure(nodeModules, 'jsonata')]).toEqual(['jsonata']);
  });

  it('stay out of the bundle and load from beside it on first use', async () => {
    const output = await functionBundle(`
      import { newAjv } from '../shared/kernel/ajv.ts';
      import { compileMapping } from '../shared/gateway/transform/mapping.ts';
      import { xmlToJson } from '../shared/gateway/transform/xml.ts';
      import { loadSampler, sampleFromSchema } from '../shared/gateway/mock/schema-sample.ts';
      export async function run() {
        await loadSampler();
        const sample = sampleFromSchema({ type: 'integer', minimum: 3, maximum: 3 });
        const valid = newAjv({ strict: false }).compile({ type: 'object', properties: { at: { format: 'date-time' } } });
        const mapped = await compileMapping('{ "n": $count(items) }', 'response').evaluate({ items: [1, 2] }, {});
        const xml = await xmlToJson(Buffer.from('<a><b>1</b></a>'));
        return { ok: valid({ at: '2026-12-04T10:00:00Z' }), bad: valid({ at: 'soon' }), mapped, xml, sample };
      }
    `);
    const bundle = readFileSync(path.join(output, 'index.mjs'), 'utf8');
    expect(statSync(path.join(output, 'index.mjs')).size).toBeLessThan(60_000);
    expect(bundle).not.toContain('json-schema.org/draft-07/schema'); // no Ajv (its meta-schema) inlined
    for (const name of SHIPPED_BESIDE)
      expect(statSync(path.join(output, 'node_modules', name, 'package.json')).isFile()).toBe(true);
    const result = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { run } = await import(${JSON.stringify(path.join(output, 'index.mjs'))}); console.log(JSON.stringify(await run()));`,
      ],
      { cwd: work, env: { PATH: process.env.PATH ?? '' } },
    );
    expect(JSON.parse(result.toString())).toEqual({
      ok: true,
      bad: false,
      mapped: { n: 2 },
      xml: { a: { b: '1' } },
      sample: { ok: true, value: 3 },
    });
  }, 60_000);
});
