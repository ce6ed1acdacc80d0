import { ApiError } from '../../api/client.ts';
import { describePlanParts } from '../../ui/rate-limit-plan.ts';
import type { AccessRequest } from '../api/access-requests.ts';

/** The platform keeps at most this many characters of a reason. */
export const MAX_REASON = 1_000;

export type Decision = 'approve' | 'reject';

/**
 * Where an operator's decision on the pending list stands: nothing under way, a rejection being
 * confirmed (with the reason the developer will read), or a decision on its way to the platform. One
 * decision at a time.
 */
export type DecisionState =
  | { step: 'idle' }
  | { step: 'rejecting'; requestId: string; reason: string; problem?: string }
  | { step: 'sending'; requestId: string; decision: Decision; reason?: string };

export type DecisionEvent =
  /** Approve at once: approval needs no confirmation. */
  | { type: 'approve'; requestId: string }
  /** Ask for the reason of a rejection. */
  | { type: 'reject'; requestId: string }
  | { type: 'reason'; text: string }
  | { type: 'cancel' }
  /** Send the rejection, if its reason will do. */
  | { type: 'confirm' }
  | { type: 'sent' }
  /** The platform refused; `reasonProblem` when it was the reason it refused. */
  | { type: 'failed'; reasonProblem?: string };

export const IDLE: DecisionState = { step: 'idle' };

/** The reason as sent, or what is wrong with it. */
export function checkReason(text: string): { ok: true; reason: string } | { ok: false; problem: string } {
  const reason = text.trim();
  if (!reason) return { ok: false, problem: 'Say why: the developer reads it.' };
  if (reason.length > MAX_REASON) return { ok: false, problem: 'At most 1,000 characters.' };
  return { ok: true, reason };
}

export function decisionReducer(state: DecisionState, event: DecisionEvent): DecisionState {
  switch (event.type) {
    case 'approve':
      return state.step === 'sending'
        ? state
        : { step: 'sending', requestId: event.requestId, decision: 'approve' };
    case 'reject':
      return state.step === 'sending' ? state : { step: 'rejecting', requestId: event.requestId, reason: '' };
    case 'reason':
      return state.step === 'rejecting'
        ? { step: 'rejecting', requestId: state.requestId, reason: event.text }
        : state;
    case 'cancel':
      return state.step === 'rejecting' ? IDLE : state;
    case 'confirm': {
      if (state.step !== 'rejecting') return state;
      const check = checkReason(state.reason);
      return check.ok
        ? { step: 'sending', requestId: state.requestId, decision: 'reject', reason: check.reason }
        : { ...state, problem: check.problem };
    }
    case 'sent':
      return state.step === 'sending' ? IDLE : state;
    case 'failed':
      if (state.step !== 'sending') return state;
      return state.decision === 'reject' && event.reasonProblem !== undefined
        ? {
            step: 'rejecting',
            requestId: state.requestId,
            reason: state.reason ?? '',
            problem: event.reasonProblem,
          }
        : IDLE;
  }
}

/** Whether `requestId`'s row is the one a decision is under way for, and which. */
export const sendingFor = (state: DecisionState, requestId: string): Decision | undefined =>
  state.step === 'sending' && state.requestId === requestId ? state.decision : undefined;

/** What a refusal means for the page. */
export type DecisionFailure =
  /** Already decided, or the app changed or was disabled meanwhile: say so and read the list again. */
  | { kind: 'conflict'; error: ApiError }
  /** The reason itself was refused: shown against the reason. */
  | { kind: 'reason'; message: string }
  | { kind: 'other'; error: unknown };

export function decisionFailureOf(error: unknown): DecisionFailure {
  if (error instanceof ApiError) {
    if (error.status === 409 || error.status === 404) return { kind: 'conflict', error };
    const reason = error.status === 400 ? error.errors.find((e) => e.pointer === '/reason') : undefined;
    if (reason) return { kind: 'reason', message: reason.message };
  }
  return { kind: 'other', error };
}

const list = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/** What rejecting leaves the app without, as the confirmation says it. */
export function rejectionEffect(request: AccessRequest): string {
  const scopes = request.scopes.length === 1 ? 'the scope' : 'the scopes';
  if (!request.rateLimits) return `The app is not given ${scopes}.`;
  return request.scopes.length > 0
    ? `The app is not given ${scopes}, and its rate limits stay as they are.`
    : 'The app’s rate limits stay as they are.';
}

/** The status message of a decision made. */
export function decidedMessage(request: AccessRequest): string {
  if (request.status === 'approved') {
    const plan = describePlanParts(request.rateLimits);
    if (plan.length > 0 && request.scopes.length === 0)
      return `Approved: ${request.appName} may now make ${list(plan)}.`;
    const scopes = request.scopes.length ? ` with ${list(request.scopes)}` : '';
    const limits = plan.length > 0 ? `, and make ${list(plan)}` : '';
    return `Approved: ${request.appName} may now call ${request.apiName}${scopes}${limits}.`;
  }
  return `Rejected the request of ${request.appName} for ${request.apiName}. The developer sees your reason.`;
}

/** The rows still to show: a request decided here leaves the list before the list is read again. */
export const withoutDecided = (
  items: readonly AccessRequest[],
  decided: ReadonlySet<string>,
): AccessRequest[] => items.filter((item) => !decided.has(item.requestId));
