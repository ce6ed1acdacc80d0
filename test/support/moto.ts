import path from 'node:path';
import { REPO_ROOT } from '../../infra/repo-root.ts';
import { type Emulator, startMoto } from '../../local/emulator.ts';

/**
 * A moto server of the caller's own on a free loopback port: pass its endpoint to a runtime as
 * `AWS_ENDPOINT_URL`, and its state outlives the runtimes started against it (as LocalStack's would).
 * It exits with the process that started it.
 */
export function startExternalEmulator(): Promise<Emulator> {
  return startMoto(path.join(REPO_ROOT, '.portico'), (line) => console.error(`[moto] ${line}`));
}
