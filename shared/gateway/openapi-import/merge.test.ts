import { describe, expect, it } from 'vitest';
import type { ApiDefinition } from '../api-definition.ts';
import { mergeImport } from './merge.ts';
import { ImportFindings } from './problems.ts';

const current = {
  name: 'pets',
  version: '1',
  description: 'kept when the document has none',
  upstreams: [{ url: 'https://current.example' }],
  timeoutMs: 5000,
  authModes: ['token'],
  requiredScopes: [],
  revision: 4,
  updatedAt: '2025-01-01T00:00:00Z',
  routes: [
    { method: 'GET', path: '/pets', requiredScopes: ['old'], summary: 'old', requestTransform: { x: 1 } },
    { method: 'POST', path: '/pets', responseTransform: { y: 2 } },
  ],
} as unknown as ApiDefinition;

describe('mergeImport', () => {
  it('replaces the routes, keeping the members of a matching route the document does not own', () => {
    const findings = new ImportFindings();
    const merged = mergeImport(
      'pets',
      {
        routes: [
          { method: 'GET', path: '/pets', summary: 'new' },
          { method: 'GET', path: '/pets/{id}' },
        ],
      },
      current,
      {},
      findings,
    );
    expect(findings.violations).toEqual([]);
    expect(merged).not.toHaveProperty('revision');
    expect(merged).not.toHaveProperty('updatedAt');
    expect(merged).toMatchObject({ description: 'kept when the document has none', timeoutMs: 5000 });
    expect(merged.routes).toEqual([
      { method: 'GET', path: '/pets', summary: 'new', requestTransform: { x: 1 } },
      { method: 'GET', path: '/pets/{id}' },
    ]);
  });

  it('needs an upstream and a timeout for a new API', () => {
    const findings = new ImportFindings();
    mergeImport('pets', { routes: [] }, undefined, {}, findings);
    expect(findings.violations.map((v) => v.pointer)).toEqual(['/servers/0/url', '/query/timeoutMs']);
  });
});
