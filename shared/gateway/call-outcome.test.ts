import { describe, expect, it } from 'vitest';
import { callOutcomeMetric } from './call-outcome.ts';

describe('callOutcomeMetric', () => {
  it('names one counter per outcome, rate limits and open breakers apart from other refusals', () => {
    expect(callOutcomeMetric({ status: 200 })).toBe('GatewayCallsSucceeded');
    expect(callOutcomeMetric({ status: 304 })).toBe('GatewayCallsSucceeded');
    expect(callOutcomeMetric({ status: 403, errorType: 'forbidden' })).toBe('GatewayCallsRefused');
    expect(callOutcomeMetric({ status: 429, errorType: 'rate-limited' })).toBe('GatewayCallsRateLimited');
    // A degraded answer is recorded as circuit-open whatever status the API configured for it.
    expect(callOutcomeMetric({ status: 200, errorType: 'circuit-open' })).toBe('GatewayCallsCircuitOpen');
    expect(callOutcomeMetric({ status: 503, errorType: 'circuit-open' })).toBe('GatewayCallsCircuitOpen');
    expect(callOutcomeMetric({ status: 502, errorType: 'bad-gateway' })).toBe('GatewayCallsFailed');
  });
});
