import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.ts';
import type { AccessRequest } from '../api/access-requests.ts';
import {
  checkReason,
  type DecisionState,
  decidedMessage,
  decisionFailureOf,
  decisionReducer,
  IDLE,
  rejectionEffect,
  sendingFor,
  withoutDecided,
} from './decision.ts';

const request = (overrides: Partial<AccessRequest> = {}): AccessRequest => ({
  requestId: 'acr_1',
  appId: 'app_1',
  appName: 'Shop',
  developerId: 'dev_1',
  apiName: 'sample-orders',
  scopes: ['orders:read'],
  status: 'pending',
  createdAt: '2030-01-01T10:00:00.000Z',
  requestedBy: 'usr_1',
  ...overrides,
});

describe('a decision on an access request', () => {
  it('approves at once', () => {
    const state = decisionReducer(IDLE, { type: 'approve', requestId: 'acr_1' });
    expect(state).toEqual({ step: 'sending', requestId: 'acr_1', decision: 'approve' });
    expect(sendingFor(state, 'acr_1')).toBe('approve');
    expect(sendingFor(state, 'acr_2')).toBeUndefined();
    expect(decisionReducer(state, { type: 'sent' })).toEqual(IDLE);
  });

  it('rejects only once a reason is given, trimmed', () => {
    let state: DecisionState = decisionReducer(IDLE, { type: 'reject', requestId: 'acr_1' });
    expect(state).toEqual({ step: 'rejecting', requestId: 'acr_1', reason: '' });
    state = decisionReducer(state, { type: 'confirm' });
    expect(state).toEqual({
      step: 'rejecting',
      requestId: 'acr_1',
      reason: '',
      problem: 'Say why: the developer reads it.',
    });
    state = decisionReducer(state, { type: 'reason', text: '  Not for production use  ' });
    expect(state).toEqual({ step: 'rejecting', requestId: 'acr_1', reason: '  Not for production use  ' });
    state = decisionReducer(state, { type: 'confirm' });
    expect(state).toEqual({
      step: 'sending',
      requestId: 'acr_1',
      decision: 'reject',
      reason: 'Not for production use',
    });
  });

  it('is cancelled back to nothing, and one decision waits for the other', () => {
    const rejecting = decisionReducer(IDLE, { type: 'reject', requestId: 'acr_1' });
    expect(decisionReducer(rejecting, { type: 'cancel' })).toEqual(IDLE);
    const sending = decisionReducer(IDLE, { type: 'approve', requestId: 'acr_1' });
    expect(decisionReducer(sending, { type: 'reject', requestId: 'acr_2' })).toBe(sending);
    expect(decisionReducer(sending, { type: 'approve', requestId: 'acr_2' })).toBe(sending);
    expect(decisionReducer(sending, { type: 'cancel' })).toBe(sending);
  });

  it('goes back to the reason when the platform refuses the reason, and to nothing otherwise', () => {
    const sending: DecisionState = { step: 'sending', requestId: 'acr_1', decision: 'reject', reason: 'x' };
    expect(decisionReducer(sending, { type: 'failed', reasonProblem: 'is too long' })).toEqual({
      step: 'rejecting',
      requestId: 'acr_1',
      reason: 'x',
      problem: 'is too long',
    });
    expect(decisionReducer(sending, { type: 'failed' })).toEqual(IDLE);
    const approving = decisionReducer(IDLE, { type: 'approve', requestId: 'acr_1' });
    expect(decisionReducer(approving, { type: 'failed', reasonProblem: 'x' })).toEqual(IDLE);
  });

  it('says at most 1,000 characters', () => {
    expect(checkReason('x'.repeat(1001))).toEqual({ ok: false, problem: 'At most 1,000 characters.' });
    expect(checkReason(' ok ')).toEqual({ ok: true, reason: 'ok' });
  });
});

describe('a refused decision', () => {
  it('is a conflict to reload after when the request or its app moved on', () => {
    const conflict = new ApiError({ type: 'about:blank', title: 'Conflict', status: 409, detail: 'already' });
    expect(decisionFailureOf(conflict)).toEqual({ kind: 'conflict', error: conflict });
  });

  it('is put against the reason when the reason was refused', () => {
    const invalid = new ApiError({
      type: 'about:blank',
      title: 'Invalid',
      status: 400,
      errors: [{ pointer: '/reason', message: 'must NOT have more than 1000 characters' }],
    });
    expect(decisionFailureOf(invalid)).toEqual({
      kind: 'reason',
      message: 'must NOT have more than 1000 characters',
    });
    const forbidden = new ApiError({ type: 'about:blank', title: 'Forbidden', status: 403 });
    expect(decisionFailureOf(forbidden)).toEqual({ kind: 'other', error: forbidden });
  });
});

describe('a decision made', () => {
  it('is announced with what it granted', () => {
    expect(decidedMessage(request({ status: 'approved', scopes: ['a', 'b', 'c'] }))).toBe(
      'Approved: Shop may now call sample-orders with a, b and c.',
    );
    expect(decidedMessage(request({ status: 'rejected', reason: 'no' }))).toBe(
      'Rejected the request of Shop for sample-orders. The developer sees your reason.',
    );
  });

  it('is announced with the plan it set', () => {
    const appApi = { limit: 600, windowSeconds: 60 };
    expect(decidedMessage(request({ status: 'approved', rateLimits: { appApi } }))).toBe(
      'Approved: Shop may now call sample-orders with orders:read, and make 600 calls a minute to each API.',
    );
    expect(
      decidedMessage(
        request({
          status: 'approved',
          scopes: [],
          rateLimits: { appApi, app: { limit: 10, windowSeconds: 1 } },
        }),
      ),
    ).toBe('Approved: Shop may now make 600 calls a minute to each API and 10 calls a second in all.');
    expect(decidedMessage(request({ status: 'approved', scopes: [] }))).toBe(
      'Approved: Shop may now call sample-orders.',
    );
  });

  it('says what a rejection withholds', () => {
    const appApi = { limit: 600, windowSeconds: 60 };
    expect(rejectionEffect(request())).toBe('The app is not given the scope.');
    expect(rejectionEffect(request({ scopes: ['a', 'b'] }))).toBe('The app is not given the scopes.');
    expect(rejectionEffect(request({ rateLimits: { appApi } }))).toBe(
      'The app is not given the scope, and its rate limits stay as they are.',
    );
    expect(rejectionEffect(request({ scopes: [], rateLimits: { appApi } }))).toBe(
      'The app’s rate limits stay as they are.',
    );
  });

  it('takes the request off the list at once', () => {
    const items = [request(), request({ requestId: 'acr_2' })];
    expect(withoutDecided(items, new Set(['acr_1'])).map((r) => r.requestId)).toEqual(['acr_2']);
  });
});
