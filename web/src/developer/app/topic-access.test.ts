import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../api/portal.ts';
import { apisGranting, maySubscribe } from './topic-access.ts';

const api = (name: string, requiredScopes: string[]): CatalogEntry => ({
  name,
  version: '1',
  status: 'published',
  authModes: ['token'],
  requiredScopes,
  document: `/v1/apis/${name}/openapi.json`,
});

describe('topic access', () => {
  it('lets an app subscribe with the topic’s scope, and to platform topics always', () => {
    const topic = { name: 'orders.created', scope: 'orders:read' };
    expect(maySubscribe(topic, ['orders:read'])).toBe(true);
    expect(maySubscribe(topic, ['echo:read'])).toBe(false);
    expect(maySubscribe({ name: 'portico.api-deprecations', scope: 'portico:events' }, [])).toBe(true);
  });

  it('finds the APIs whose scopes include the one needed', () => {
    const catalog = [api('orders', ['orders:read', 'orders:write']), api('echo', ['echo:read'])];
    expect(apisGranting('orders:read', catalog)).toEqual(['orders']);
    expect(apisGranting('stock:read', catalog)).toEqual([]);
  });
});
