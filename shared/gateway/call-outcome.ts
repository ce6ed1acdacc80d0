import type { CallRecord } from '../analytics/call-record.ts';

/** The business counter a finished call adds to: one per outcome, so dashboards need no dimension. */
export function callOutcomeMetric(record: Pick<CallRecord, 'status' | 'errorType'>): string {
  if (record.errorType === 'rate-limited') return 'GatewayCallsRateLimited';
  if (record.errorType === 'circuit-open') return 'GatewayCallsCircuitOpen';
  if (record.status >= 500) return 'GatewayCallsFailed';
  if (record.status >= 400) return 'GatewayCallsRefused';
  return 'GatewayCallsSucceeded';
}
