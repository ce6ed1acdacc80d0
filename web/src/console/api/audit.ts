import { apiFetch } from '../../api/client.ts';
import type { Page, PageRequest } from './page.ts';
import { queryString } from './query-string.ts';

/** One console write, as the audit log keeps it (secrets redacted). */
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

export const fetchAudit = (page: PageRequest): Promise<Page<AuditEntry>> =>
  apiFetch<Page<AuditEntry>>(`/console/v1/audit${queryString({ ...page })}`);
