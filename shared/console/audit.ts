import { newId } from '../crypto/random.ts';

/** One console write, as the audit log keeps it. */
export interface AuditEntry {
  id: string;
  at: string;
  actor: { subject: string; clientId: string; role: string };
  action: string;
  target: { type: string; id: string };
  before?: unknown;
  after?: unknown;
  requestId?: string;
}

/** Members that must never reach the audit log, however deep they sit. */
const SECRET_MEMBERS = new Set([
  'secrets',
  'clientSecret',
  'verifier',
  'ciphertext',
  'passwordHash',
  'secretCiphertext',
]);

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_MEMBERS.has(k)) out[k] = '[redacted]';
    else out[k] = redact(v);
  }
  return out;
}

export function auditEntry(
  actor: AuditEntry['actor'],
  action: string,
  target: AuditEntry['target'],
  change: { before?: unknown; after?: unknown },
  now: Date,
  requestId?: string,
): AuditEntry {
  return {
    id: newId('aud'),
    at: now.toISOString(),
    actor,
    action,
    target,
    ...(change.before !== undefined ? { before: redact(change.before) } : {}),
    ...(change.after !== undefined ? { after: redact(change.after) } : {}),
    ...(requestId ? { requestId } : {}),
  };
}
