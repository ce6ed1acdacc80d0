import type { LoadRun } from '../load-run.ts';
import { LoadRunBusyError, type LoadRunRef, type LoadRunStore } from '../ports.ts';

/** LoadRunStore in memory, with the slot rule of the DynamoDB store. */
export class MemoryLoadRunStore implements LoadRunStore {
  readonly runs = new Map<string, LoadRun>();
  readonly slots = new Map<string, { loadRunId: string; until: string }>();

  async create(run: LoadRun, slotUntil: Date): Promise<void> {
    const slot = this.slots.get(run.apiName);
    if (slot && slot.until >= run.createdAt) throw new LoadRunBusyError(slot.loadRunId);
    this.slots.set(run.apiName, { loadRunId: run.loadRunId, until: slotUntil.toISOString() });
    this.runs.set(run.loadRunId, structuredClone(run));
  }

  async get(ref: LoadRunRef): Promise<LoadRun | undefined> {
    const run = this.runs.get(ref.loadRunId);
    return run && run.apiName === ref.apiName && run.caseId === ref.caseId ? structuredClone(run) : undefined;
  }

  async list(apiName: string, caseId: string, limit: number): Promise<LoadRun[]> {
    return [...this.runs.values()]
      .filter((r) => r.apiName === apiName && r.caseId === caseId)
      .sort((a, b) => b.loadRunId.localeCompare(a.loadRunId))
      .slice(0, limit)
      .map(({ series: _series, ...run }) => structuredClone(run));
  }

  async start(ref: LoadRunRef, startedAt: string): Promise<boolean> {
    const run = this.runs.get(ref.loadRunId);
    if (run?.status !== 'queued') return false;
    this.runs.set(ref.loadRunId, { ...run, status: 'running', startedAt });
    return true;
  }

  async progress(ref: LoadRunRef, sent: number): Promise<void> {
    const run = this.runs.get(ref.loadRunId);
    if (run?.status === 'running' && run.progress) run.progress.sent = sent;
  }

  async finish(run: LoadRun): Promise<void> {
    this.runs.set(run.loadRunId, structuredClone(run));
    if (this.slots.get(run.apiName)?.loadRunId === run.loadRunId) this.slots.delete(run.apiName);
  }
}
