import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Runs moto's server with a watchdog: when the process that started it is gone (even killed with
 * SIGKILL, which allows no clean-up), the emulator exits too instead of lingering as an orphan.
 */
const MOTO_WITH_WATCHDOG = `
import os, sys, threading, time
parent = os.getppid()
def watch():
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(0)
threading.Thread(target=watch, daemon=True).start()
from moto.server import main
main(sys.argv[1:])
`;

/** The moto version the project is tested against; installed into a project venv when missing. */
export const MOTO_VERSION = '5.2.1';

export interface Emulator {
  endpoint: string;
  /** True when AWS_ENDPOINT_URL pointed elsewhere and nothing was started. */
  external: boolean;
  pid?: number;
  stop(): Promise<void>;
}

/** A start-up failure the user can act on: shown as a message, without a stack trace. */
export class StartupError extends Error {
  override name = 'StartupError';
}

const hasMoto = (python: string) =>
  spawnSync(python, ['-c', 'import moto.server, flask, flask_cors'], { stdio: 'ignore' }).status === 0;

/** A Python that can run moto's server: the system one, or a project venv we install it into. */
export function motoPython(stateDir: string, log: (line: string) => void): string {
  const system = process.env.PYTHON ?? 'python3';
  if (hasMoto(system)) return system;
  const venv = path.join(stateDir, 'venv');
  const python = path.join(venv, 'bin', 'python');
  if (existsSync(python) && hasMoto(python)) return python;
  log(`moto is not installed for ${system}; installing moto[server]==${MOTO_VERSION} into ${venv}`);
  mkdirSync(stateDir, { recursive: true });
  const steps: [string, string[]][] = [
    [system, ['-m', 'venv', venv]],
    [python, ['-m', 'pip', 'install', '--quiet', `moto[server]==${MOTO_VERSION}`]],
  ];
  for (const [cmd, args] of steps) {
    const result = spawnSync(cmd, args, { stdio: 'inherit' });
    if (result.status !== 0)
      throw new StartupError(
        `could not install the local AWS emulator (${cmd} ${args.join(' ')} failed). ` +
          `Install it yourself (pip install 'moto[server]==${MOTO_VERSION}'), point PYTHON at a Python that has it, ` +
          'or set AWS_ENDPOINT_URL to an emulator you run (LocalStack).',
      );
  }
  return python;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts moto's server on a free loopback port (it picks the port and prints it), or uses
 * AWS_ENDPOINT_URL when that is set (LocalStack, another emulator) and starts nothing.
 */
export async function startEmulator(stateDir: string, log: (line: string) => void): Promise<Emulator> {
  const configured = process.env.AWS_ENDPOINT_URL;
  if (configured) return { endpoint: configured.replace(/\/$/, ''), external: true, stop: async () => {} };

  const python = motoPython(stateDir, log);
  const child = spawn(python, ['-c', MOTO_WITH_WATCHDOG, '-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`the emulator did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    const fail = (error: Error) => {
      clearTimeout(timer);
      void stopChild(child);
      reject(error);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => fail(new Error(`the emulator exited with ${code}:\n${output}`)));
  });
  // Keep draining its request log so the pipe never fills and blocks it.
  child.stdout!.resume();
  child.stderr!.resume();
  return { endpoint, external: false, pid: child.pid!, stop: () => stopChild(child) };
}
