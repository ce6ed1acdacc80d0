import { describe, expect, it } from 'vitest';
import { instrumentSdkClients, traced } from './clients.ts';

describe('SDK clients and tracing', () => {
  it('are instrumented once each, whether made before or after tracing is loaded', () => {
    const before = { name: 'before' };
    expect(traced(before)).toBe(before);
    const seen: unknown[] = [];
    instrumentSdkClients(<T>(client: T) => {
      seen.push(client);
      return client;
    });
    const after = { name: 'after' };
    expect(traced(after)).toBe(after);
    expect(seen).toEqual([before, after]);
  });
});
