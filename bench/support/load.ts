import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const AUTOCANNON = path.join(
  path.dirname(createRequire(import.meta.url).resolve('autocannon')),
  'autocannon.js',
);

export interface LoadResult {
  requests: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers other than 2xx, and connection errors and timeouts. */
  failures: number;
}

/**
 * `connections` calls kept in flight against `url` for `seconds` by autocannon, in a process of its
 * own (the process under test keeps its CPU); bounded by its duration.
 */
export function load(
  url: string,
  { connections = 16, seconds = 8, headers = {} as Record<string, string> } = {},
): Promise<LoadResult> {
  const args = [AUTOCANNON, '--json', '-c', String(connections), '-d', String(seconds), '-t', '10'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      const r = JSON.parse(out);
      resolve({
        requests: r.requests.total,
        requestsPerSec: r.requests.total / r.duration,
        p50Ms: r.latency.p50,
        p99Ms: r.latency.p99,
        failures: r.non2xx + r.errors + r.timeouts,
      });
    });
  });
}
