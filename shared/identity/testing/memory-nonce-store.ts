import type { NonceStore } from '../ports.ts';

/**
 * Nonces in memory, for tests and single-process use. An entry is replaced once it has expired
 * (`expiresAt` before now, as DynamoNonceStore does), and expired entries are swept away at most
 * once every `sweepIntervalMs`, so memory holds about one window's worth of nonces.
 */
export class MemoryNonceStore implements NonceStore {
  private readonly entries = new Map<string, number>();
  private nextSweep = 0;

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly sweepIntervalMs = 10_000,
  ) {}

  async remember(clientId: string, nonce: string, expiresAt: Date): Promise<boolean> {
    const now = this.clock();
    if (now >= this.nextSweep) {
      for (const [key, expires] of this.entries) if (expires < now) this.entries.delete(key);
      this.nextSweep = now + this.sweepIntervalMs;
    }
    const key = `${clientId}\n${nonce}`;
    const existing = this.entries.get(key);
    if (existing !== undefined && existing >= now) return false;
    this.entries.set(key, expiresAt.getTime());
    return true;
  }

  /** How many nonces are held, expired ones not yet swept included. */
  get size(): number {
    return this.entries.size;
  }
}
