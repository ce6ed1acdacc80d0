import { describe, expect, it } from 'vitest';
import { endpointGuard } from './endpoint-guard.ts';

const failed = { kind: 'failed', errorClass: 'timeout' } as const;
const delivered = { kind: 'delivered', status: 200 } as const;

describe('endpointGuard', () => {
  it('caps requests in flight per receiving host, not per URL', () => {
    const guard = endpointGuard({ maxConcurrent: 2 });
    const a = guard.admit('https://hooks.example/a', 0);
    const b = guard.admit('https://hooks.example/b', 0);
    expect(a.admitted && b.admitted).toBe(true);
    expect(guard.admit('https://hooks.example/c', 0)).toMatchObject({ admitted: false, reason: 'busy' });
    expect(guard.admit('https://other.example/a', 0).admitted).toBe(true);
    if (a.admitted) a.done(delivered, 10, 1);
    expect(guard.admit('https://hooks.example/c', 1).admitted).toBe(true);
  });

  it('stops calling a host that keeps failing, and tries it again with one probe after the open period', () => {
    const guard = endpointGuard();
    for (let i = 0; i < 5; i++) {
      const admission = guard.admit('https://dead.example/hook', i);
      expect(admission.admitted).toBe(true);
      if (admission.admitted) admission.done(failed, 15_000, i);
    }
    const refused = guard.admit('https://dead.example/hook', 10);
    expect(refused).toMatchObject({ admitted: false, reason: 'circuit-open' });
    expect(guard.admit('https://alive.example/hook', 10).admitted).toBe(true);
    const probe = guard.admit('https://dead.example/hook', 20_000);
    expect(probe.admitted).toBe(true);
    expect(guard.admit('https://dead.example/hook', 20_001).admitted).toBe(false);
    if (probe.admitted) probe.done(delivered, 20, 20_002);
    expect(guard.admit('https://dead.example/hook', 20_003).admitted).toBe(true);
  });
});
