import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Runtime, startRuntime } from '../../local/runtime.ts';

/**
 * The whole local platform in this process, quiet (no access log, errors only), on a free port and
 * its own state directory unless PORTICO_STATE_DIR names one.
 */
export async function startQuietRuntime(): Promise<Runtime> {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  return startRuntime({
    port: 0,
    strictPort: false,
    stateDir: process.env.PORTICO_STATE_DIR ?? mkdtempSync(path.join(tmpdir(), 'portico-bench-')),
    log: () => {},
    logLevel: 'ERROR',
    accessLog: false,
  });
}

/** A JSON answer: its status and parsed body. */
export async function json(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** A client-credentials token from the platform at `baseUrl`; throws unless it is granted. */
export async function platformToken(baseUrl: string, id: string, secret: string): Promise<string> {
  const answer = await json(`${baseUrl}/oauth2/token`, {
    method: 'POST',
    headers: { authorization: basic(id, secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  if (answer.status !== 200) throw new Error(`token request answered ${answer.status}`);
  return answer.body.access_token as string;
}
