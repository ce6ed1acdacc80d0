import { describe, expect, it } from 'vitest';
import type { ApiDefinition } from '../gateway/api-definition.ts';
import { catalogOf } from './catalog.ts';

const api = (name: string, lifecycle?: ApiDefinition['lifecycle']): ApiDefinition => ({
  name,
  version: '1',
  upstreams: [{ url: 'https://internal.example' }],
  timeoutMs: 1000,
  authModes: ['token'],
  requiredScopes: [],
  ...(lifecycle ? { lifecycle } : {}),
});

describe('the API catalog', () => {
  it('lists published and deprecated APIs by name, never drafts or retired ones, nor how they are served', () => {
    const entries = catalogOf([
      api('zeta'),
      api('draft', { status: 'draft' }),
      api('alpha', {
        status: 'deprecated',
        deprecatedAt: '2026-12-01T00:00:00.000Z',
        sunsetAt: '2027-01-01T00:00:00.000Z',
      }),
      api('old', { status: 'retired' }),
      api('beta', { status: 'published' }),
    ]);
    expect(entries.map((e) => [e.name, e.status, e.sunsetAt])).toEqual([
      ['alpha', 'deprecated', '2027-01-01T00:00:00.000Z'],
      ['beta', 'published', undefined],
      ['zeta', 'published', undefined],
    ]);
    expect(entries[0]!.document).toBe('/v1/apis/alpha/openapi.json');
    expect(JSON.stringify(entries)).not.toContain('internal.example');
  });
});
