import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ChangeMessageVisibilityBatchCommand } from '@aws-sdk/client-sqs';
import type { LocalClients } from './aws.ts';

/** What one runtime process holds: the receipt handles of the SQS messages its pollers are processing. */
interface LeaseFile {
  pid: number;
  endpoint: string;
  queues: Record<string, string[]>;
}

const FILE_PATTERN = /^leases-(\d+)\.json$/;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * The SQS messages this process has received and not yet settled, written to
 * `<stateDir>/leases-<pid>.json` before each batch is processed and rewritten when it is settled.
 *
 * It only shortens a wait, never decides one: a message received by a process that dies (even with
 * SIGKILL) comes back on its own once the queue's visibility timeout has passed, as it does for a
 * crashed Lambda. When the runtime restarts against the same endpoint, it hands those messages back at
 * once (`releaseOrphanedLeases`) instead of leaving its deliveries idle for the timeout (180 s for the
 * delivery queue). A message whose handle never reached the file (the process died between receiving
 * and writing) still comes back after the timeout.
 */
export class LeaseJournal {
  private readonly queues = new Map<string, Set<string>>();
  private readonly file: string;

  constructor(
    private readonly dir: string,
    private readonly endpoint: string,
  ) {
    this.file = path.join(dir, `leases-${process.pid}.json`);
  }

  hold(queueUrl: string, receiptHandles: readonly string[]): void {
    const held = this.queues.get(queueUrl) ?? new Set<string>();
    this.queues.set(queueUrl, held);
    for (const handle of receiptHandles) held.add(handle);
    this.write();
  }

  settle(queueUrl: string, receiptHandles: readonly string[]): void {
    const held = this.queues.get(queueUrl);
    if (!held) return;
    for (const handle of receiptHandles) held.delete(handle);
    this.write();
  }

  /** On a clean stop: nothing is held any more (unsettled messages come back after their timeout). */
  close(): void {
    this.queues.clear();
    rmSync(this.file, { force: true });
  }

  private write(): void {
    const content: LeaseFile = {
      pid: process.pid,
      endpoint: this.endpoint,
      queues: Object.fromEntries([...this.queues].map(([url, handles]) => [url, [...handles]])),
    };
    mkdirSync(this.dir, { recursive: true });
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, JSON.stringify(content), { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}

/**
 * Makes the messages held by runtime processes that are gone visible again at once, when they were
 * received from `endpoint`. Returns how many were handed back. Files of a process still running, or of
 * another endpoint (an emulator that died with its runtime), are left alone or removed respectively.
 */
export async function releaseOrphanedLeases(
  dir: string,
  endpoint: string,
  aws: Pick<LocalClients, 'sqs'>,
  log: (line: string) => void,
): Promise<number> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let released = 0;
  for (const name of names) {
    const pid = Number(FILE_PATTERN.exec(name)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    const file = path.join(dir, name);
    let content: LeaseFile | undefined;
    try {
      content = JSON.parse(readFileSync(file, 'utf8')) as LeaseFile;
    } catch {
      content = undefined;
    }
    if (content?.endpoint === endpoint) {
      for (const [queueUrl, handles] of Object.entries(content.queues)) {
        for (let i = 0; i < handles.length; i += 10) {
          const batch = handles.slice(i, i + 10);
          // A handle of a message settled after the last write, or already back, is refused: harmless.
          const result = await aws.sqs
            .send(
              new ChangeMessageVisibilityBatchCommand({
                QueueUrl: queueUrl,
                Entries: batch.map((handle, n) => ({
                  Id: String(n),
                  ReceiptHandle: handle,
                  VisibilityTimeout: 0,
                })),
              }),
            )
            .catch((error: Error) => {
              log(`could not hand back messages of process ${pid} on ${queueUrl}: ${error.message}`);
              return undefined;
            });
          released += result?.Successful?.length ?? 0;
        }
      }
    }
    rmSync(file, { force: true });
  }
  return released;
}
