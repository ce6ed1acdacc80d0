import { describe, expect, it } from 'vitest';
import { EgressGuard } from '../egress/guard.ts';
import { DEFAULT_EGRESS_POLICY, parseEgressAllowList } from '../egress/policy.ts';
import { FakeResolver } from '../egress/testing/fake-resolver.ts';
import { MemoryApiRegistry } from '../gateway/testing/memory-api-registry.ts';
import type { App } from '../identity/model.ts';
import { DomainError } from '../kernel/errors.ts';
import { ApiRegistryActions } from './api-registry-actions.ts';
import type { AuditEntry } from './audit.ts';

const ctx = {
  actor: { subject: 'ops', clientId: 'ak_ops', role: 'console:operator' as const },
  requestId: 'req-1',
  now: new Date('2025-01-01T00:00:00Z'),
};

const PROVIDER_APP = 'app_orders_team';

function setup(allow = '') {
  const registry = new MemoryApiRegistry();
  const audit: AuditEntry[] = [];
  const names = new FakeResolver({
    'api.example.com': ['93.184.215.14'],
    'sneaky.example.com': ['10.1.2.3'],
    'internal.example.com': ['10.20.0.5'],
  });
  const actions = new ApiRegistryActions({
    registry,
    store: { appendAudit: async (entry) => void audit.push(entry) },
    egress: new EgressGuard(allow ? parseEgressAllowList(allow) : DEFAULT_EGRESS_POLICY, names),
    apps: { getApp: async (appId) => (appId === PROVIDER_APP ? ({ appId } as App) : undefined) },
  });
  return { actions, registry, audit, names };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('accepted');
    },
    (error: DomainError) => {
      expect(error).toBeInstanceOf(DomainError);
      expect(error.code).toBe('validation-failed');
      return error.details?.errors;
    },
  );

describe('ApiRegistryActions egress checks', () => {
  it('refuses every upstream and the sandbox upstream the policy refuses, naming each, storing nothing', async () => {
    const { actions, registry, audit } = setup();
    const errors = await refusal(
      actions.put(
        ctx,
        'orders',
        {
          upstreams: [
            { url: 'https://api.example.com/v1' },
            { url: 'http://127.0.0.1:22' },
            { url: 'http://sneaky.example.com/' },
            { url: 'http://user:pw@api.example.com/' },
          ],
          sandboxUpstream: { url: 'http://[::ffff:169.254.169.254]/' },
          timeoutMs: 1000,
        },
        undefined,
      ),
    );
    expect(errors).toEqual([
      { pointer: '/upstreams/1/url', message: 'is a loopback address' },
      { pointer: '/upstreams/2/url', message: 'resolves to a private address (10.1.2.3)' },
      { pointer: '/upstreams/3/url', message: 'may not carry credentials' },
      { pointer: '/sandboxUpstream/url', message: 'is a cloud metadata address' },
    ]);
    expect(await registry.list()).toEqual([]);
    expect(audit).toEqual([]);
  });

  it('refuses a name that does not resolve', async () => {
    const { actions } = setup();
    const errors = await refusal(
      actions.put(
        ctx,
        'orders',
        { upstreams: [{ url: 'https://nowhere.example.com' }], timeoutMs: 1000 },
        undefined,
      ),
    );
    expect(errors).toEqual([{ pointer: '/upstreams/0/url', message: 'does not resolve' }]);
  });

  it('checks the shape first: a malformed definition is refused without resolving anything', async () => {
    const { actions, names } = setup();
    await refusal(actions.put(ctx, 'orders', { upstreams: [{ url: 'https://api.example.com' }] }, undefined));
    expect(names.calls).toEqual([]);
  });

  it('stores what the policy allows, the allow list included', async () => {
    const { actions, audit } = setup('loopback,internal.example.com');
    const { created, api } = await actions.put(
      ctx,
      'orders',
      {
        upstreams: [{ url: 'https://api.example.com/v1' }, { url: 'http://127.0.0.1:8080' }],
        sandboxUpstream: { url: 'http://internal.example.com/sandbox' },
        timeoutMs: 1000,
      },
      undefined,
    );
    expect(created).toBe(true);
    expect(api.upstreams).toHaveLength(2);
    expect(audit).toHaveLength(1);
  });
});

describe('ApiRegistryActions provider app', () => {
  const definition = { upstreams: [{ url: 'https://api.example.com/v1' }], timeoutMs: 1000 };

  it('refuses a provider app that does not exist, storing nothing', async () => {
    const { actions, registry, audit } = setup();
    const errors = await refusal(
      actions.put(ctx, 'orders', { ...definition, providerApp: 'app_nobody' }, undefined),
    );
    expect(errors).toEqual([{ pointer: '/providerApp', message: 'names no app' }]);
    expect(await registry.list()).toEqual([]);
    expect(audit).toEqual([]);
  });

  it('refuses a provider that is not an app id by shape, and stores an existing app', async () => {
    const { actions } = setup();
    const errors = await refusal(
      actions.put(ctx, 'orders', { ...definition, providerApp: 'dev_someone' }, undefined),
    );
    expect(errors).toEqual([expect.objectContaining({ pointer: '/providerApp' })]);
    const { api } = await actions.put(ctx, 'orders', { ...definition, providerApp: PROVIDER_APP }, undefined);
    expect(api.providerApp).toBe(PROVIDER_APP);
  });
});

describe('ApiRegistryActions lifecycle', () => {
  const definition = { upstreams: [{ url: 'https://api.example.com/v1' }], timeoutMs: 1000 };

  it('audits every move of the lifecycle apart, and refuses a move back from retired, storing nothing', async () => {
    const { actions, registry, audit } = setup();
    await actions.put(ctx, 'orders', { ...definition, lifecycle: { status: 'draft' } }, undefined);
    await actions.put(ctx, 'orders', { ...definition, lifecycle: { status: 'published' } }, undefined);
    const { api } = await actions.put(
      ctx,
      'orders',
      { ...definition, lifecycle: { status: 'deprecated', sunsetAt: '2025-06-01T00:00:00Z' } },
      undefined,
    );
    expect(api.lifecycle).toEqual({
      status: 'deprecated',
      deprecatedAt: ctx.now.toISOString(),
      sunsetAt: '2025-06-01T00:00:00.000Z',
    });
    await actions.put(ctx, 'orders', { ...definition, lifecycle: { status: 'retired' } }, undefined);
    expect(audit.filter((e) => e.action === 'api.lifecycle').map((e) => [e.before, e.after])).toEqual([
      [{ status: 'draft' }, { status: 'published' }],
      [{ status: 'published' }, expect.objectContaining({ status: 'deprecated' })],
      [{ status: 'deprecated' }, expect.objectContaining({ status: 'retired' })],
    ]);
    const revision = (await registry.get('orders'))!.revision;
    const errors = await refusal(
      actions.put(ctx, 'orders', { ...definition, lifecycle: { status: 'published' } }, undefined),
    );
    expect(errors).toEqual([
      { pointer: '/lifecycle/status', message: 'cannot move from retired to published' },
    ]);
    expect((await registry.get('orders'))!.revision).toBe(revision);
  });
});
