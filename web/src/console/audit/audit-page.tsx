import { fetchAudit } from '../api/audit.ts';
import { LoadView } from '../ui/load-view.tsx';
import { Pager } from '../ui/pager.tsx';
import { usePaged } from '../ui/use-paged.ts';
import { AuditTable } from './audit-table.tsx';

export function AuditPage() {
  const page = usePaged('audit', fetchAudit);
  return (
    <>
      <title>Audit log · Console · Portico developers</title>
      <h1>Audit log</h1>
      <p className="lead">Every change made through the console, newest first, secrets redacted.</p>
      <LoadView
        state={page.state}
        loading="Loading the audit log…"
        failure="The audit log could not be loaded."
      >
        {(found) =>
          found.items.length === 0 ? (
            <p>Nothing has been changed yet.</p>
          ) : (
            <AuditTable entries={found.items} />
          )
        }
      </LoadView>
      <Pager what="the audit log" paged={page} />
    </>
  );
}
