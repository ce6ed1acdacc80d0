import { describe, expect, it } from 'vitest';
import { auditEntry, redact } from './audit.ts';

describe('audit entries', () => {
  it('redact secrets at any depth', () => {
    expect(
      redact({ a: 1, secrets: [{ verifier: 'x' }], nested: [{ clientSecret: 'sk_1', ok: true }] }),
    ).toEqual({
      a: 1,
      secrets: '[redacted]',
      nested: [{ clientSecret: '[redacted]', ok: true }],
    });
  });

  it('record who, what, when, before and after', () => {
    const entry = auditEntry(
      { subject: 'app_admin', clientId: 'ak_1', role: 'admin' },
      'app.update',
      { type: 'app', id: 'app_1' },
      { before: { name: 'a' }, after: { name: 'b' } },
      new Date('2026-11-23T00:00:00Z'),
      'req-1',
    );
    expect(entry).toMatchObject({
      action: 'app.update',
      at: '2026-11-23T00:00:00.000Z',
      before: { name: 'a' },
      after: { name: 'b' },
    });
    expect(entry.id).toMatch(/^aud_/);
  });
});
