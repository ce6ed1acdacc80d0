import { describe, expect, it } from 'vitest';
import { attemptOutcome, canReplay } from './delivery-status.ts';

const at = '2030-01-01T10:00:00Z';

describe('delivery status', () => {
  it('replays only deliveries that are done', () => {
    expect(canReplay('Sent')).toBe(true);
    expect(canReplay('Failed')).toBe(true);
    expect(canReplay('Queued')).toBe(false);
    expect(canReplay('Paused')).toBe(false);
  });

  it('says what each attempt came to', () => {
    expect(attemptOutcome({ attempt: 1, at, latencyMs: 20, status: 204 })).toBe('Delivered');
    expect(attemptOutcome({ attempt: 2, at, latencyMs: 20, status: 500, errorClass: 'server-error' })).toBe(
      'Failed: endpoint error',
    );
    expect(attemptOutcome({ attempt: 3, at, latencyMs: 5000, errorClass: 'timeout' })).toBe(
      'Failed: no answer in time',
    );
    expect(attemptOutcome({ attempt: 4, at, latencyMs: 1, errorClass: 'something-new' })).toBe(
      'Failed: something-new',
    );
  });
});
