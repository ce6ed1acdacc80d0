import { useState } from 'react';
import { Link } from 'wouter';
import { fetchNotices, fetchPartner, type Notice } from '../api/partners.ts';
import { RoleNote, useRoleAllows } from '../console-role.tsx';
import { formatDateTime } from '../ui/format.ts';
import { LoadView } from '../ui/load-view.tsx';
import { RefreshButton } from '../ui/refresh-button.tsx';
import { useLoad } from '../ui/use-load.ts';
import { NoticeForm } from './notice-form.tsx';
import { NoticesTable } from './notices-table.tsx';
import { PartnerStateSection } from './partner-state-section.tsx';
import { RampTable } from './ramp-table.tsx';
import { TransitionsSection } from './transitions-table.tsx';

/** One partner: its state now, its ramp, its notices (and a new one), and its transitions. */
export function PartnerPage({ partnerId }: { partnerId: string }) {
  const canWrite = useRoleAllows('operator');
  const partner = useLoad(`partner:${partnerId}`, () => fetchPartner(partnerId));
  const notices = useLoad(`notices:${partnerId}`, () => fetchNotices(partnerId));
  const [refreshes, setRefreshes] = useState(0);
  const [created, setCreated] = useState<Notice>();
  const refresh = () => {
    partner.reload();
    notices.reload();
    setRefreshes((n) => n + 1);
  };
  const name = partner.state.status === 'ready' ? partner.state.data.name : partnerId;

  return (
    <>
      <title>{`${name} · Partners · Console · Portico developers`}</title>
      <p className="breadcrumb">
        <Link href="/partners">Partners</Link>
      </p>
      <div className="console-heading">
        <h1>{name}</h1>
        <RefreshButton
          refreshing={partner.refreshing || notices.refreshing}
          onRefresh={refresh}
          asOf={partner.state.status === 'ready' ? partner.state.data.health?.asOf : undefined}
        />
      </div>
      <LoadView
        state={partner.state}
        loading="Loading the partner…"
        failure="The partner could not be loaded."
      >
        {(details) => (
          <>
            <p className="muted">
              <code>{details.partnerId}</code>
              {details.description ? ` · ${details.description}` : ''} · updated{' '}
              {formatDateTime(details.updatedAt)}
            </p>
            <PartnerStateSection partner={details} />
            {created ? (
              <div className="note note-success" role="status">
                <p>
                  Notice <code>{created.noticeId}</code> created
                  {created.inForce ? ': it is in force now, and the state above is read again.' : '.'} If the
                  state has not changed yet, refresh in a moment.
                </p>
                <button type="button" className="button button-small" onClick={refresh}>
                  Refresh the state
                </button>
              </div>
            ) : null}
            <RampTable partner={details} />
          </>
        )}
      </LoadView>
      <section aria-labelledby="partner-notices">
        <h2 id="partner-notices">Notices</h2>
        <LoadView
          state={notices.state}
          loading="Loading the notices…"
          failure="The notices could not be loaded."
        >
          {(items) => <NoticesTable notices={items} />}
        </LoadView>
      </section>
      {canWrite ? (
        <NoticeForm
          partnerId={partnerId}
          onCreated={(notice) => {
            setCreated(notice);
            refresh();
          }}
        />
      ) : (
        <RoleNote needed="operator" what="Creating a notice" />
      )}
      <TransitionsSection partnerId={partnerId} version={refreshes} />
    </>
  );
}
