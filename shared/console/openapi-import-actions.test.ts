import { describe, expect, it } from 'vitest';
import { EgressGuard } from '../egress/guard.ts';
import { DEFAULT_EGRESS_POLICY } from '../egress/policy.ts';
import { FakeResolver } from '../egress/testing/fake-resolver.ts';
import { petstoreText } from '../gateway/openapi-import/testing/petstore.ts';
import { MemoryApiRegistry } from '../gateway/testing/memory-api-registry.ts';
import { DomainError } from '../kernel/errors.ts';
import { ApiRegistryActions } from './api-registry-actions.ts';
import type { AuditEntry } from './audit.ts';
import { OpenApiImportActions } from './openapi-import-actions.ts';

const ctx = {
  actor: { subject: 'ops', clientId: 'ak_ops', role: 'console:operator' as const },
  requestId: 'req-1',
  now: new Date('2025-01-01T00:00:00Z'),
};

function setup() {
  const registry = new MemoryApiRegistry();
  const audit: AuditEntry[] = [];
  const apis = new ApiRegistryActions({
    registry,
    store: { appendAudit: async (entry) => void audit.push(entry) },
    egress: new EgressGuard(
      DEFAULT_EGRESS_POLICY,
      new FakeResolver({ 'api.example.com': ['93.184.215.14'] }),
    ),
    apps: { getApp: async () => undefined },
  });
  return { imports: new OpenApiImportActions(apis), apis, registry, audit };
}

const query = (entries: Record<string, string>) => new Map(Object.entries(entries));
const upstream = { upstream: 'https://api.example.com/v1', timeoutMs: '3000' };

describe('OpenApiImportActions', () => {
  it('dry-runs without storing or auditing, then imports as api.import', async () => {
    const { imports, registry, audit } = setup();
    const preview = await imports.import(ctx, 'pets', {
      text: petstoreText(),
      query: query({ ...upstream, dryRun: 'true' }),
    });
    expect(preview).toMatchObject({ dryRun: true, created: true, warnings: [] });
    expect(preview.changes).toContainEqual(
      expect.objectContaining({ op: 'add', path: '/routes/GET ~1pets' }),
    );
    expect(await registry.list()).toEqual([]);
    expect(audit).toEqual([]);

    const stored = await imports.import(ctx, 'pets', { text: petstoreText(), query: query(upstream) });
    expect(stored).toMatchObject({ dryRun: false, created: true, api: { revision: 1 } });
    expect(audit.map((e) => e.action)).toEqual(['api.import']);
  });

  it('keeps what a PUT set, and shows no change for the same document', async () => {
    const { imports, apis } = setup();
    await imports.import(ctx, 'pets', { text: petstoreText(), query: query(upstream) });
    const { revision: _r, updatedAt: _u, ...current } = (await apis.find('pets'))!;
    await apis.put(
      ctx,
      'pets',
      { ...current, rateLimits: { app: { limit: 5, windowSeconds: 60 } } },
      undefined,
    );
    const again = await imports.import(ctx, 'pets', { text: petstoreText(), query: query({}) });
    expect(again.changes).toEqual([]);
    expect(again.api).toMatchObject({ rateLimits: { app: { limit: 5, windowSeconds: 60 } }, revision: 3 });
  });

  it('checks the upstream against the egress policy, on a dry run too', async () => {
    const { imports, registry } = setup();
    for (const dryRun of ['true', 'false']) {
      const refused = await imports
        .import(ctx, 'pets', {
          text: petstoreText(),
          query: query({ upstream: 'http://127.0.0.1:22', timeoutMs: '3000', dryRun }),
        })
        .catch((error: DomainError) => error);
      expect(refused).toBeInstanceOf(DomainError);
      expect((refused as DomainError).details.errors).toEqual([
        { pointer: '/upstreams/0/url', message: 'is a loopback address' },
      ]);
    }
    expect(await registry.list()).toEqual([]);
  });

  it('refuses a write over a revision that is no longer current', async () => {
    const { imports } = setup();
    await imports.import(ctx, 'pets', { text: petstoreText(), query: query(upstream) });
    const stale = imports.import(ctx, 'pets', { text: petstoreText(), query: query({}), ifMatch: '"7"' });
    await expect(stale).rejects.toMatchObject({ code: 'conflict' });
  });

  it('refuses bad query values', async () => {
    const { imports } = setup();
    for (const bad of [{ dryRun: 'yes' }, { timeoutMs: '1.5' }] as Record<string, string>[]) {
      await expect(
        imports.import(ctx, 'pets', { text: petstoreText(), query: query(bad) }),
      ).rejects.toMatchObject({
        code: 'bad-request',
      });
    }
  });
});
