import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { externalModules, FUNCTION_BUILD_OPTIONS } from '../../infra/constructs/bundling.ts';

/**
 * Cold start of the hot-path functions, as a ratio against each one's own SDK floor: the function's
 * bundle (built as the CDK builds it) against a bundle that only creates the same AWS SDK clients,
 * each loaded in a fresh Node process, alternately, so that both see the same machine.
 */
export const HOT_PATH_FUNCTIONS = {
  gateway: 'functions/gateway/handler.ts',
  token: 'functions/oauth/token.ts',
  discovery: 'functions/discovery/handler.ts',
} as const;

/** The client class each SDK package the functions use exports. */
const CLIENT_CLASSES: Record<string, string> = {
  'client-dynamodb': 'DynamoDBClient',
  'client-kinesis': 'KinesisClient',
  'client-kms': 'KMSClient',
  'client-eventbridge': 'EventBridgeClient',
  'client-firehose': 'FirehoseClient',
  'client-secrets-manager': 'SecretsManagerClient',
  'client-sqs': 'SQSClient',
  'client-s3': 'S3Client',
  'client-athena': 'AthenaClient',
  'client-apigatewaymanagementapi': 'ApiGatewayManagementApiClient',
};

/** What the functions read from their environment at load: enough for each to initialise. */
const ENVIRONMENT: Record<string, string> = {
  NODE_NO_WARNINGS: '1',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  IDENTITY_TABLE: 'identity',
  REGISTRY_TABLE: 'registry',
  ANALYTICS_STREAM: 'analytics',
  TOKEN_ISSUER: 'https://portico.example',
  SECRETS_KEY_ID: 'key',
  RATE_LIMIT_TABLE: 'rate-limits',
  GATEWAY_STATE_TABLE: 'gateway-state',
  EVENT_BUS_NAME: 'portico',
  PARTNERS_TABLE: 'partners',
  REQUEST_LOG_STREAM: 'request-logs',
  IDENTITY_SIGNING_KEYS_SECRET: 'identity-keys',
  SIGNING_KEYS_SECRET: 'signing-keys',
};

export interface ColdStart {
  name: string;
  bundleBytes: number;
  initMs: number;
  clients: string[];
  floorBytes: number;
  floorInitMs: number;
  ratio: number;
}

const bundleOptions = { ...FUNCTION_BUILD_OPTIONS, metafile: true } satisfies BuildOptions;

/** The SDK client packages a bundle holds (what its function creates clients of). */
function sdkClients(metafile: Metafile): string[] {
  const packages = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const match = input.match(/node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//);
    if (match && CLIENT_CLASSES[match[1]!]) packages.add(match[1]!);
  }
  return [...packages].sort();
}

function floorSource(clients: string[]): string {
  const lines = clients.map((c) => `import { ${CLIENT_CLASSES[c]} } from '@aws-sdk/${c}';`);
  const made = clients.map((c) =>
    c === 'client-dynamodb'
      ? `DynamoDBDocumentClient.from(new DynamoDBClient({}))`
      : `new ${CLIENT_CLASSES[c]}({})`,
  );
  if (clients.includes('client-dynamodb'))
    lines.push(`import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';`);
  lines.push(`export const clients = [${made.join(', ')}];`);
  lines.push('export const handler = async () => clients.length;');
  return lines.join('\n');
}

/** Milliseconds from `import()` to the module loaded, in a fresh process. */
function initOnce(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', ...ENVIRONMENT },
    timeout: 30_000,
  });
  return Number(out.toString());
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** Builds each function and its floor into `workDir`, then loads each pair `rounds` times (bounded). */
export async function measureColdStarts(
  repoRoot: string,
  workDir: string,
  rounds = 15,
  names: (keyof typeof HOT_PATH_FUNCTIONS)[] = Object.keys(HOT_PATH_FUNCTIONS) as never,
): Promise<ColdStart[]> {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const results: ColdStart[] = [];
  for (const name of names) {
    const bundle = path.join(workDir, `${name}.mjs`);
    const built = await build({
      ...bundleOptions,
      absWorkingDir: repoRoot,
      entryPoints: [path.join(repoRoot, HOT_PATH_FUNCTIONS[name])],
      external: externalModules(HOT_PATH_FUNCTIONS[name]),
      outfile: bundle,
    });
    const clients = sdkClients(built.metafile);
    const floorEntry = path.join(workDir, `${name}-floor-entry.mjs`);
    writeFileSync(floorEntry, floorSource(clients));
    const floor = path.join(workDir, `${name}-floor.mjs`);
    const floorBuilt = await build({
      ...bundleOptions,
      absWorkingDir: repoRoot,
      nodePaths: [path.join(repoRoot, 'node_modules')],
      entryPoints: [floorEntry],
      outfile: floor,
    });
    const fn: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < rounds; i++) {
      base.push(initOnce(floor));
      fn.push(initOnce(bundle));
    }
    const bytes = (m: Metafile) => Object.values(m.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
    const initMs = median(fn);
    const floorInitMs = median(base);
    // Each round's pair ran back to back: the median of their ratios cancels the machine's drift.
    const ratio = median(fn.map((ms, i) => ms / base[i]!));
    results.push({
      name,
      bundleBytes: bytes(built.metafile),
      initMs,
      clients,
      floorBytes: bytes(floorBuilt.metafile),
      floorInitMs,
      ratio,
    });
  }
  return results;
}

export function printColdStarts(results: ColdStart[]): void {
  console.log(
    '\ncold start: each function bundle vs a bundle creating only its SDK clients (fresh process; medians, and the median ratio of back-to-back pairs)',
  );
  for (const r of results) {
    console.log(
      `  ${r.name.padEnd(10)} ${(r.bundleBytes / 1024).toFixed(0).padStart(5)} KB ${r.initMs.toFixed(1).padStart(7)} ms | ` +
        `floor ${(r.floorBytes / 1024).toFixed(0).padStart(5)} KB ${r.floorInitMs.toFixed(1).padStart(7)} ms | ` +
        `ratio ${r.ratio.toFixed(2)}× (clients: ${r.clients.map((c) => c.slice('client-'.length)).join(', ')})`,
    );
  }
}
