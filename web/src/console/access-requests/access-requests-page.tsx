import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Link } from 'wouter';
import { ProblemMessage } from '../../ui/problem-message.tsx';
import { describePlanParts } from '../../ui/rate-limit-plan.ts';
import {
  type AccessRequest,
  type AccessRequestStatus,
  approveAccessRequest,
  fetchAccessRequests,
  rejectAccessRequest,
} from '../api/access-requests.ts';
import { RoleNote, useRoleAllows } from '../console-role.tsx';
import { Field } from '../ui/field.tsx';
import { formatDateTime } from '../ui/format.ts';
import { LoadView } from '../ui/load-view.tsx';
import { Pager } from '../ui/pager.tsx';
import { RefreshButton } from '../ui/refresh-button.tsx';
import { TableScroll } from '../ui/table-scroll.tsx';
import { Tabs, tabId, tabPanelId } from '../ui/tabs.tsx';
import { usePaged } from '../ui/use-paged.ts';
import {
  type Decision,
  type DecisionEvent,
  type DecisionFailure,
  type DecisionState,
  decidedMessage,
  decisionFailureOf,
  decisionReducer,
  IDLE,
  MAX_REASON,
  rejectionEffect,
  sendingFor,
  withoutDecided,
} from './decision.ts';

const STATUSES = [
  { key: 'pending', label: 'Pending' },
  { key: 'approved', label: 'Approved' },
  { key: 'rejected', label: 'Rejected' },
] as const;

const CAPTIONS: Record<AccessRequestStatus, string> = {
  pending: 'Pending access requests, newest first',
  approved: 'Approved access requests, newest request first',
  rejected: 'Rejected access requests, newest request first',
};

/** A refusal shown above the list (a refused reason is shown against the reason). */
type Refusal = Exclude<DecisionFailure, { kind: 'reason' }>;

const FAILURE_CONTEXT: Record<Decision, string> = {
  approve: 'The request was not approved.',
  reject: 'The request was not rejected.',
};

function Time({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}

/** Who a request is about: "the request of Shop for sample-orders". */
const whose = (request: AccessRequest) => `the request of ${request.appName} for ${request.apiName}`;

interface RowProps {
  request: AccessRequest;
  /** Decision buttons are shown (pending list, operator role). */
  decides: boolean;
  decision: DecisionState;
  idBase: string;
  onApprove: () => void;
  onReject: () => void;
}

/** The id of a request's plan cell, which describes its Approve button. */
const planId = (idBase: string, request: AccessRequest) => `${idBase}-plan-${request.requestId}`;

/** The rate-limit plan asked for, a limit a line; on a pending request, what approving does with it. */
function PlanCell({ request, id }: { request: AccessRequest; id: string }) {
  const parts = describePlanParts(request.rateLimits);
  if (parts.length === 0) return <td>–</td>;
  return (
    <td id={id}>
      <ul className="plain-list">
        {parts.map((part) => (
          <li key={part}>{part}</li>
        ))}
      </ul>
      {request.status === 'pending' ? (
        <span className="cell-note">
          Approving sets this plan on {request.appName}, in place of the APIs’ own limits on its calls.
        </span>
      ) : null}
    </td>
  );
}

function RequestRow({ request, decides, decision, idBase, onApprove, onReject }: RowProps) {
  const sending = sendingFor(decision, request.requestId);
  const busy = decision.step === 'sending';
  const decided = request.status !== 'pending';
  const hasPlan = describePlanParts(request.rateLimits).length > 0;
  return (
    <tr>
      <th scope="row">
        <Link href={`/apps/${encodeURIComponent(request.appId)}`}>{request.appName}</Link>
        <span className="cell-note">
          <code>{request.appId}</code>
        </span>
        <span className="cell-note">
          of{' '}
          <Link href={`/apps?developerId=${encodeURIComponent(request.developerId)}`}>
            <code>{request.developerId}</code>
          </Link>
        </span>
      </th>
      <td className="nowrap">
        <Link href={`/apis/${encodeURIComponent(request.apiName)}`}>{request.apiName}</Link>
      </td>
      <td>
        {request.scopes.length
          ? request.scopes.map((scope) => (
              <code key={scope} className="scope">
                {scope}
              </code>
            ))
          : '–'}
      </td>
      <PlanCell request={request} id={planId(idBase, request)} />
      <td className="cell-text">{request.note || '–'}</td>
      <td className="cell-time">
        <Time iso={request.createdAt} />
        <span className="cell-note">
          by <code>{request.requestedBy}</code>
        </span>
      </td>
      {decided ? (
        <>
          <td className="cell-time">
            {request.decidedAt ? <Time iso={request.decidedAt} /> : '–'}
            {request.decidedBy ? (
              <span className="cell-note">
                by <code>{request.decidedBy}</code>
              </span>
            ) : null}
          </td>
          <td className="cell-text">{request.reason || '–'}</td>
        </>
      ) : null}
      {decides ? (
        <td>
          <div className="row-actions">
            <button
              type="button"
              className="button button-small button-primary"
              onClick={onApprove}
              disabled={busy}
              aria-describedby={hasPlan ? planId(idBase, request) : undefined}
            >
              {sending === 'approve' ? 'Approving…' : 'Approve'}
              <span className="visually-hidden"> {whose(request)}</span>
            </button>
            <button
              id={`${idBase}-reject-${request.requestId}`}
              type="button"
              className="button button-small"
              onClick={onReject}
              disabled={busy}
              aria-expanded={decision.step === 'rejecting' && decision.requestId === request.requestId}
            >
              Reject<span className="visually-hidden"> {whose(request)}</span>
            </button>
          </div>
        </td>
      ) : null}
    </tr>
  );
}

interface RejectProps {
  request: AccessRequest;
  decision: DecisionState;
  columns: number;
  idBase: string;
  onReason: (text: string) => void;
  onConfirm: () => void;
  onCancel: () => void;
}

/** The confirmation of a rejection, below its row: the reason the developer will read, required. */
function RejectRow({ request, decision, columns, idBase, onReason, onConfirm, onCancel }: RejectProps) {
  const reasonId = `${idBase}-reason-${request.requestId}`;
  const rejecting = decision.step === 'rejecting' ? decision : undefined;
  const sending = sendingFor(decision, request.requestId) === 'reject';
  const reason = rejecting?.reason ?? (decision.step === 'sending' ? (decision.reason ?? '') : '');
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    input.current?.focus();
  }, []);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onConfirm();
  };
  return (
    <tr className="decision-row">
      <td colSpan={columns}>
        <form className="reject-form" onSubmit={submit} noValidate aria-label={`Reject ${whose(request)}`}>
          <p className="reject-title">
            Reject {whose(request)}? {rejectionEffect(request)}
          </p>
          <Field
            id={reasonId}
            label="Reason for rejecting"
            hint="Required: the developer sees it with the decision. At most 1,000 characters."
            errors={rejecting?.problem ? [rejecting.problem] : undefined}
          >
            {(wiring) => (
              <textarea
                {...wiring}
                ref={input}
                rows={3}
                required
                maxLength={MAX_REASON}
                value={reason}
                readOnly={sending}
                onChange={(e) => onReason(e.target.value)}
              />
            )}
          </Field>
          <div className="form-actions">
            <button type="submit" className="button button-danger" disabled={sending}>
              {sending ? 'Rejecting…' : 'Reject the request'}
            </button>
            <button type="button" className="button" onClick={onCancel} disabled={sending}>
              Cancel
            </button>
          </div>
        </form>
      </td>
    </tr>
  );
}

interface TableProps {
  status: AccessRequestStatus;
  requests: AccessRequest[];
  decides: boolean;
  decision: DecisionState;
  idBase: string;
  onApprove: (request: AccessRequest) => void;
  onEvent: (event: DecisionEvent) => void;
  onConfirm: (request: AccessRequest) => void;
}

function RequestsTable({
  status,
  requests,
  decides,
  decision,
  idBase,
  onApprove,
  onEvent,
  onConfirm,
}: TableProps) {
  if (requests.length === 0)
    return <p>{status === 'pending' ? 'No request is waiting for a decision.' : `No ${status} requests.`}</p>;
  const decided = status !== 'pending';
  const columns = 6 + (decided ? 2 : 0) + (decides ? 1 : 0);
  const open =
    decision.step === 'rejecting' || (decision.step === 'sending' && decision.decision === 'reject');
  return (
    <TableScroll label={CAPTIONS[status]}>
      <table className="data-table">
        <caption className="visually-hidden">{CAPTIONS[status]}</caption>
        <thead>
          <tr>
            <th scope="col">App and developer</th>
            <th scope="col">API</th>
            <th scope="col">Scopes</th>
            <th scope="col">Rate-limit plan</th>
            <th scope="col">Note</th>
            <th scope="col">Requested</th>
            {decided ? (
              <>
                <th scope="col">Decided</th>
                <th scope="col">Reason</th>
              </>
            ) : null}
            {decides ? <th scope="col">Decision</th> : null}
          </tr>
        </thead>
        <tbody>
          {requests.map((request) => (
            <RequestBlock
              key={request.requestId}
              request={request}
              decides={decides}
              decision={decision}
              idBase={idBase}
              rejecting={open && decision.requestId === request.requestId}
              columns={columns}
              onApprove={() => onApprove(request)}
              onEvent={onEvent}
              onConfirm={() => onConfirm(request)}
            />
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function RequestBlock({
  request,
  decides,
  decision,
  idBase,
  rejecting,
  columns,
  onApprove,
  onEvent,
  onConfirm,
}: Omit<RowProps, 'onReject'> & {
  rejecting: boolean;
  columns: number;
  onEvent: (event: DecisionEvent) => void;
  onConfirm: () => void;
}) {
  return (
    <>
      <RequestRow
        request={request}
        decides={decides}
        decision={decision}
        idBase={idBase}
        onApprove={onApprove}
        onReject={() => onEvent({ type: 'reject', requestId: request.requestId })}
      />
      {rejecting ? (
        <RejectRow
          request={request}
          decision={decision}
          columns={columns}
          idBase={idBase}
          onReason={(text) => onEvent({ type: 'reason', text })}
          onConfirm={onConfirm}
          onCancel={() => {
            onEvent({ type: 'cancel' });
            document.getElementById(`${idBase}-reject-${request.requestId}`)?.focus();
          }}
        />
      ) : null}
    </>
  );
}

/**
 * Developers' requests for an API's scopes, a rate-limit plan, or both, for one of their apps: pending
 * ones to approve (the scopes are granted and the plan set at once) or reject with a reason the developer
 * reads; decided ones to look back on.
 */
export function AccessRequestsPage() {
  const idBase = useId();
  const canDecide = useRoleAllows('operator');
  const [status, setStatus] = useState<AccessRequestStatus>('pending');
  const page = usePaged(`access-requests:${status}`, (request) => fetchAccessRequests(status, request));
  const [decision, setDecision] = useState<DecisionState>(IDLE);
  const [decided, setDecided] = useState<ReadonlySet<string>>(() => new Set());
  const [message, setMessage] = useState<string>();
  const [failure, setFailure] = useState<{ decision: Decision; failure: Refusal }>();
  const statusRef = useRef<HTMLDivElement>(null);
  const failureRef = useRef<HTMLDivElement>(null);
  const decides = canDecide && status === 'pending';

  useEffect(() => {
    if (failure) failureRef.current?.focus();
  }, [failure]);

  const step = (event: DecisionEvent) => setDecision((state) => decisionReducer(state, event));

  const send = async (request: AccessRequest, kind: Decision, reason?: string) => {
    setMessage(undefined);
    setFailure(undefined);
    try {
      const done =
        kind === 'approve'
          ? await approveAccessRequest(request.requestId)
          : await rejectAccessRequest(request.requestId, reason ?? '');
      step({ type: 'sent' });
      setDecided((previous) => new Set(previous).add(request.requestId));
      setMessage(decidedMessage(done));
      page.reload();
      statusRef.current?.focus();
    } catch (error) {
      const refused = decisionFailureOf(error);
      if (refused.kind === 'reason') {
        step({ type: 'failed', reasonProblem: refused.message });
        return;
      }
      step({ type: 'failed' });
      setFailure({ decision: kind, failure: refused });
      if (refused.kind === 'conflict') page.reload();
    }
  };

  const approve = (request: AccessRequest) => {
    if (decision.step === 'sending') return;
    step({ type: 'approve', requestId: request.requestId });
    void send(request, 'approve');
  };

  const confirmReject = (request: AccessRequest) => {
    const next = decisionReducer(decision, { type: 'confirm' });
    setDecision(next);
    if (next.step === 'sending') void send(request, 'reject', next.reason);
  };

  const select = (next: AccessRequestStatus) => {
    setStatus(next);
    setDecision(IDLE);
    setMessage(undefined);
    setFailure(undefined);
  };

  return (
    <>
      <title>Access requests · Console · Portico developers</title>
      <div className="console-heading">
        <h1>Access requests</h1>
        <RefreshButton refreshing={page.refreshing} onRefresh={page.reload} />
      </div>
      <p className="lead">
        Developers apply from the portal for an API’s scopes for one of their apps, and may ask for a
        rate-limit plan. Approving grants the scopes and sets the plan on the app at once; the developer reads
        the reason of a rejection.
      </p>
      <div ref={statusRef} role="status" tabIndex={-1} className="decision-status">
        {message ? <p className="note note-success">{message}</p> : null}
      </div>
      {failure ? (
        <div ref={failureRef} tabIndex={-1}>
          <ProblemMessage
            error={failure.failure.error}
            context={
              failure.failure.kind === 'conflict'
                ? `${FAILURE_CONTEXT[failure.decision]} It changed meanwhile: the list is read again.`
                : FAILURE_CONTEXT[failure.decision]
            }
          />
        </div>
      ) : null}
      <Tabs label="Requests by status" idBase={idBase} tabs={STATUSES} selected={status} onSelect={select} />
      {STATUSES.map(({ key }) => (
        <div
          key={key}
          role="tabpanel"
          id={tabPanelId(idBase, key)}
          aria-labelledby={tabId(idBase, key)}
          hidden={key !== status}
          className="tab-panel"
        >
          {key === status ? (
            <>
              {key === 'pending' && !canDecide ? (
                <RoleNote needed="operator" what="Approving or rejecting a request" />
              ) : null}
              <LoadView
                state={page.state}
                loading={`Loading the ${key} requests…`}
                failure="The access requests could not be loaded."
              >
                {(found) => (
                  <RequestsTable
                    status={key}
                    requests={key === 'pending' ? withoutDecided(found.items, decided) : found.items}
                    decides={decides}
                    decision={decision}
                    idBase={idBase}
                    onApprove={approve}
                    onEvent={step}
                    onConfirm={confirmReject}
                  />
                )}
              </LoadView>
              <Pager what={`${key} requests`} paged={page} />
            </>
          ) : null}
        </div>
      ))}
    </>
  );
}
