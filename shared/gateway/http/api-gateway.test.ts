import { describe, expect, it } from 'vitest';
import { gatewayEvent } from '../testing/in-memory-gateway.ts';
import { apiNameOf } from './api-gateway.ts';

describe('apiNameOf', () => {
  it('is the {apiName} API Gateway matched', () => {
    expect(apiNameOf(gatewayEvent('GET', 'orders', '/x'))).toBe('orders');
  });

  it("is the name a group's literal route spells out, never read from the path", () => {
    const event = gatewayEvent('GET', 'orders', '/x');
    const literal = {
      ...event,
      routeKey: 'ANY /apis/pay/{path+}',
      rawPath: '/apis/%70ay/x',
      pathParameters: { path: 'x' },
    };
    expect(apiNameOf(literal)).toBe('pay');
    expect(apiNameOf({ ...literal, routeKey: 'ANY /apis/pay' })).toBe('pay');
    expect(apiNameOf({ ...literal, routeKey: 'GET /health' })).toBe('');
  });
});
