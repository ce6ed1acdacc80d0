import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../infra/repo-root.ts';
import type { RuntimeInfo } from '../../local/runtime.ts';
import { sleep } from './wait.ts';

export interface RuntimeProcess {
  info: RuntimeInfo;
  child: ChildProcess;
  stateDir: string;
  logFile: string;
  stop(): Promise<number | null>;
}

/**
 * Runs `local/main.ts` (or `npm start` itself) in a child process on free ports with its own state dir,
 * or with `stateDir` to start again where an earlier run left off (its log is appended to).
 */
export async function startRuntimeProcess(
  env: Record<string, string> = {},
  command: string[] = [process.execPath, '--import', 'tsx', 'local/main.ts'],
  options: { stateDir?: string } = {},
): Promise<RuntimeProcess> {
  const stateDir = options.stateDir ?? mkdtempSync(path.join(tmpdir(), 'portico-test-'));
  const logFile = path.join(stateDir, 'runtime.log');
  const out = createWriteStream(logFile, { flags: 'a' });
  const startedAt = Date.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: '0',
      PORTICO_STATE_DIR: stateDir,
      ACCESS_LOG: 'false',
      LOG_LEVEL: 'INFO',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const infoFile = path.join(stateDir, 'local.json');
  const deadline = Date.now() + 90_000;
  // This run's facts: an earlier run in the same state dir left its own file behind.
  const written = (): RuntimeInfo | undefined => {
    if (!existsSync(infoFile) || statSync(infoFile).mtimeMs < startedAt) return undefined;
    try {
      return JSON.parse(readFileSync(infoFile, 'utf8')) as RuntimeInfo;
    } catch {
      return undefined; // being written
    }
  };
  let info = written();
  while (!info) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the local runtime did not start:\n${readFileSync(logFile, 'utf8')}`);
    }
    await sleep(200);
    info = written();
  }
  const stop = () =>
    new Promise<number | null>((resolve) => {
      if (child.exitCode !== null) return resolve(child.exitCode);
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', (code) => {
        clearTimeout(killer);
        resolve(code);
      });
      child.kill('SIGTERM');
    });
  return { info, child, stateDir, logFile, stop };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
