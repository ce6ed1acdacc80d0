import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Runs moto's server with a watchdog: when the process that started it is gone (even killed with
 * SIGKILL, which allows no clean-up), the emulator exits too instead of lingering as an orphan.
 *
 * It also makes the parts of moto the message path leans on safe under concurrent requests (moto
 * serves each request on its own thread, and these models are not guarded):
 * - SQS: DeleteMessage rebuilds a queue's message list without the queue's lock, so a SendMessage
 *   appended meanwhile is silently dropped, and two receives can both move one message to the
 *   dead-letter queue (the second fails). Deletes, receives and visibility changes now take the lock
 *   sends already take (a receive still releases it while it long-polls).
 * - DynamoDB: TransactWriteItems deep-copies whole tables while other requests write them ("dictionary
 *   changed size during iteration"). Table operations now run one at a time (moto holds the GIL for
 *   them anyway). That copy, its rollback point, also grows with the table (about 1 s per transaction
 *   at 20,000 items, during which nothing else runs): a transaction made only of Put, Delete and
 *   ConditionCheck replaces items without changing them in place, so it now notes the items it touches
 *   and puts them back if it is cancelled (the same rollback, at the cost of its own items); one with
 *   an Update still copies the tables.
 * And one speed-up: EventBridge builds eight JSONPath parsers (a yacc table each, ~12 ms) for every
 * event a rule matches, which held the bus to about 8 events/s; the parsed paths are now memoised.
 */
const MOTO_WITH_WATCHDOG = `
import os, sys, threading, time, functools
parent = os.getppid()
def watch():
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(0)
threading.Thread(target=watch, daemon=True).start()

from moto.sqs import models as sqs_models
from moto.dynamodb import models as dynamodb_models

def with_queue_lock(method):
    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self._messages_lock:
            return method(self, *args, **kwargs)
    return locked

def with_named_queue_lock(method):
    @functools.wraps(method)
    def locked(self, queue_name, *args, **kwargs):
        with self.get_queue(queue_name)._messages_lock:
            return method(self, queue_name, *args, **kwargs)
    return locked

sqs_models.Queue.delete_message = with_queue_lock(sqs_models.Queue.delete_message)
for name in ('receive_message', 'change_message_visibility', 'purge_queue'):
    setattr(sqs_models.SQSBackend, name, with_named_queue_lock(getattr(sqs_models.SQSBackend, name)))

tables_lock = threading.RLock()
def with_tables_lock(method):
    @functools.wraps(method)
    def locked(*args, **kwargs):
        with tables_lock:
            return method(*args, **kwargs)
    return locked
for name in ('create_table', 'delete_table', 'update_table', 'put_item', 'get_item', 'query', 'scan',
             'update_item', 'delete_item', 'execute_statement'):
    setattr(dynamodb_models.DynamoDBBackend, name, with_tables_lock(getattr(dynamodb_models.DynamoDBBackend, name)))

import copy as copy_module
from moto.dynamodb.models.dynamo_type import DynamoType
rollback_copy = threading.local()

class CopyForRollback:
    def __getattr__(self, name):
        return getattr(copy_module, name)
    def deepcopy(self, value, *args, **kwargs):
        if getattr(rollback_copy, 'by_items', False) and isinstance(value, dynamodb_models.Table):
            return value
        return copy_module.deepcopy(value, *args, **kwargs)
dynamodb_models.copy = CopyForRollback()

def touched_items(backend, transact_items):
    noted = []
    for item in transact_items:
        op_type, op = next(iter(item.items()))
        table = backend.get_table(op['TableName'])
        attrs = op['Item'] if op_type == 'Put' else op['Key']
        hash_key = DynamoType(attrs[table.hash_key_attr])
        range_key = DynamoType(attrs[table.range_key_attr]) if table.range_key_attr else None
        noted.append((table, hash_key, range_key, table.get_item(hash_key, range_key)))
    return noted

def put_back(noted):
    for table, hash_key, range_key, item in reversed(noted):
        if range_key is None:
            if item is None:
                table.items.pop(hash_key, None)
            else:
                table.items[hash_key] = item
        elif item is None:
            table.items.get(hash_key, {}).pop(range_key, None)
        else:
            table.items[hash_key][range_key] = item

transact_write_items = dynamodb_models.DynamoDBBackend.transact_write_items
def transact_write_items_with_item_rollback(self, transact_items):
    with tables_lock:
        by_items = all('Update' not in item for item in transact_items)
        if not by_items:
            return transact_write_items(self, transact_items)
        try:
            noted = touched_items(self, transact_items)
        except Exception:
            return transact_write_items(self, transact_items)
        rollback_copy.by_items = True
        try:
            return transact_write_items(self, transact_items)
        except BaseException:
            put_back(noted)
            raise
        finally:
            rollback_copy.by_items = False
dynamodb_models.DynamoDBBackend.transact_write_items = transact_write_items_with_item_rollback

import jsonpath_ng.ext as jsonpath_ext
jsonpath_ext.parse = functools.lru_cache(maxsize=256)(jsonpath_ext.parse)

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
  return startMoto(stateDir, log);
}

/**
 * moto's server on a free loopback port, as a child of this process that exits with it. Also what
 * tests and scripts start when they need an emulator that outlives a runtime they stop and restart.
 */
export async function startMoto(stateDir: string, log: (line: string) => void): Promise<Emulator> {
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
