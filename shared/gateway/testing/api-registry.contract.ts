import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ApiDefinition } from '../api-definition.ts';
import { type ApiRegistry, RevisionConflictError } from '../ports.ts';

const unique = (prefix: string) => `${prefix}-${randomUUID().replaceAll('-', '').slice(0, 12)}`;

const anApi = (overrides: Partial<ApiDefinition> = {}): ApiDefinition => ({
  name: unique('orders'),
  version: '1',
  description: 'Orders of the contract suite',
  upstreams: [{ url: 'https://orders.internal.example', weight: 2 }],
  timeoutMs: 5_000,
  authModes: ['token', 'signature'],
  requiredScopes: ['orders:read'],
  routes: [{ method: 'GET', path: '/orders/{orderId}', requiredScopes: ['orders:read'] }],
  rateLimits: { app: { limit: 100, windowSeconds: 60 } },
  ...overrides,
});

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export interface ApiRegistryContractOptions {
  /**
   * Whether the store under test serialises concurrent writes to one item, as DynamoDB does. The local
   * emulator (moto) does not, so the concurrent cases run against the in-memory registry only.
   */
  concurrentWritesAreAtomic: boolean;
}

/**
 * What every `ApiRegistry` must do (gateway/ports.ts): each put stores the next revision, guarded by
 * `expectedRevision`; `catalogVersion` grows with every put and delete; `list`/`index` show what is stored.
 */
export function apiRegistryContract(
  name: string,
  setup: () => Promise<ApiRegistry>,
  { concurrentWritesAreAtomic }: ApiRegistryContractOptions,
): void {
  describe(`ApiRegistry contract: ${name}`, () => {
    it('is empty at first', async () => {
      const registry = await setup();
      expect(await registry.get(unique('orders'))).toBeUndefined();
      expect(await registry.list()).toEqual([]);
      expect(await registry.index()).toEqual([]);
      expect(typeof (await registry.catalogVersion())).toBe('number');
    });

    it('stores a new definition as revision 1 and reads it back as stored', async () => {
      const registry = await setup();
      const api = anApi();
      const stored = await registry.put(api);
      expect(stored).toEqual({ ...api, revision: 1, updatedAt: expect.any(String) });
      expect(Number.isNaN(Date.parse(stored.updatedAt))).toBe(false);
      expect(await registry.get(api.name)).toEqual(stored);
    });

    it('stores each put as the next revision', async () => {
      const registry = await setup();
      const api = anApi();
      await registry.put(api);
      const changed = { ...api, timeoutMs: 2_000, requiredScopes: ['orders:write'] };
      expect((await registry.put(changed)).revision).toBe(2);
      expect(await registry.get(api.name)).toMatchObject({ ...changed, revision: 2 });
      expect((await registry.put(changed, 2)).revision).toBe(3);
    });

    it('refuses a stale expected revision with RevisionConflictError and keeps what is stored', async () => {
      const registry = await setup();
      const api = anApi();
      await registry.put(api);
      const current = await registry.put({ ...api, version: '2' }, 1);
      await expect(registry.put({ ...api, version: 'lost update' }, 1)).rejects.toBeInstanceOf(
        RevisionConflictError,
      );
      await expect(registry.put({ ...api, version: 'from the future' }, 3)).rejects.toBeInstanceOf(
        RevisionConflictError,
      );
      expect(await registry.get(api.name)).toEqual(current);
    });

    it('takes expected revision 0 as "must not exist yet"', async () => {
      const registry = await setup();
      const api = anApi();
      expect((await registry.put(api, 0)).revision).toBe(1);
      await expect(registry.put(api, 0)).rejects.toBeInstanceOf(RevisionConflictError);
      await expect(registry.put(anApi(), 1)).rejects.toBeInstanceOf(RevisionConflictError);
    });

    it('lists and indexes every stored definition at its revision', async () => {
      const registry = await setup();
      const [a, b, c] = [anApi(), anApi(), anApi()];
      await registry.put(a);
      await registry.put(b);
      await registry.put({ ...b, version: '2' });
      await registry.put(c);
      expect((await registry.index()).sort(byName)).toEqual(
        [
          { name: a.name, revision: 1 },
          { name: b.name, revision: 2 },
          { name: c.name, revision: 1 },
        ].sort(byName),
      );
      expect((await registry.list()).sort(byName)).toEqual(
        [
          { ...a, revision: 1 },
          { ...b, version: '2', revision: 2 },
          { ...c, revision: 1 },
        ]
          .map((api) => ({ ...api, updatedAt: expect.any(String) }))
          .sort(byName),
      );
    });

    it('deletes a definition once: true, then false; it leaves get, list and index', async () => {
      const registry = await setup();
      const [a, b] = [anApi(), anApi()];
      await registry.put(a);
      await registry.put(b);
      expect(await registry.delete(a.name)).toBe(true);
      expect(await registry.delete(a.name)).toBe(false);
      expect(await registry.get(a.name)).toBeUndefined();
      expect((await registry.list()).map((api) => api.name)).toEqual([b.name]);
      expect(await registry.index()).toEqual([{ name: b.name, revision: 1 }]);
    });

    it('grows the catalog version with every put and delete', async () => {
      const registry = await setup();
      const api = anApi();
      const versions = [await registry.catalogVersion()];
      await registry.put(api);
      versions.push(await registry.catalogVersion());
      await registry.put({ ...api, version: '2' }, 1);
      versions.push(await registry.catalogVersion());
      await registry.put(anApi());
      versions.push(await registry.catalogVersion());
      await registry.delete(api.name);
      versions.push(await registry.catalogVersion());
      for (let i = 1; i < versions.length; i++) expect(versions[i]).toBeGreaterThan(versions[i - 1]!);
      // Reads change nothing.
      await registry.get(api.name);
      await registry.list();
      await registry.index();
      expect(await registry.catalogVersion()).toBe(versions.at(-1));
    });

    it('hands out copies: changing what was put or read changes nothing stored', async () => {
      const registry = await setup();
      const api = anApi();
      const stored = await registry.put(api);
      const expected = structuredClone(stored);
      api.upstreams.push({ url: 'https://evil.example' });
      api.requiredScopes.length = 0;
      stored.routes!.length = 0;
      (await registry.get(api.name))!.rateLimits!.app!.limit = 1_000_000;
      (await registry.list())[0]!.authModes.push('token');
      expect(await registry.get(api.name)).toEqual(expected);
    });

    if (concurrentWritesAreAtomic) {
      it('lets exactly one of concurrent puts with the same expected revision win', async () => {
        const registry = await setup();
        const api = anApi();
        await registry.put(api);
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) => registry.put({ ...api, version: `v${i}` }, 1)),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        expect(won).toHaveLength(1);
        for (const r of results)
          if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(RevisionConflictError);
        expect((await registry.get(api.name))?.revision).toBe(2);
      });
    }
  });
}
