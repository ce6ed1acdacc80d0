import type { HostResolver } from '../ports.ts';

const notFound = (hostname: string) =>
  Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });

/**
 * A resolver answering from a table, never the network. A name mapped to a list of answers gets the
 * next one on each call (the last one repeating): a rebinding name, public on write and internal at
 * connect. Unknown names fail with `ENOTFOUND`. `calls` records every name asked.
 */
export class FakeResolver implements HostResolver {
  readonly calls: string[] = [];
  private readonly served = new Map<string, number>();

  constructor(private readonly answers: Record<string, string[] | string[][]>) {}

  async resolve(hostname: string): Promise<string[]> {
    this.calls.push(hostname);
    const entry = this.answers[hostname.toLowerCase()];
    if (!entry) throw notFound(hostname);
    if (!Array.isArray(entry[0])) return entry as string[];
    const sequence = entry as string[][];
    const index = this.served.get(hostname) ?? 0;
    this.served.set(hostname, index + 1);
    const answer = sequence[Math.min(index, sequence.length - 1)]!;
    if (answer.length === 0) throw notFound(hostname);
    return answer;
  }
}
