import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ConnectionStore } from '../ports.ts';
import { newConnection } from '../stream-connection.ts';

const id = () => `${randomUUID().slice(0, 15)}=`;
const sub = () => `sub_${randomUUID().slice(0, 8)}`;
const T0 = 1_800_000_000_123;

/**
 * What every `ConnectionStore` must do (messages/ports.ts): a connection is found by its id and by each
 * subscription it listens to, until it is removed or expires; removing forgets every listening record.
 */
export function connectionStoreContract(name: string, setup: () => Promise<ConnectionStore>): void {
  describe(`ConnectionStore contract: ${name}`, () => {
    it('finds a connection by its id and by every subscription it listens to', async () => {
      const store = await setup();
      const [a, b] = [sub(), sub()];
      const connection = newConnection(id(), 'app-1', [a, b], T0);
      await store.put(connection);
      expect(await store.get(connection.connectionId, T0 + 1)).toEqual(connection);
      const listener = {
        connectionId: connection.connectionId,
        connectedAt: T0,
        expiresAt: connection.expiresAt,
      };
      expect(await store.listeners(a, T0 + 1)).toEqual([listener]);
      expect(await store.listeners(b, T0 + 1)).toEqual([listener]);
      expect(await store.listeners(sub(), T0 + 1)).toEqual([]);
      expect(await store.get(id(), T0)).toBeUndefined();
    });

    it('lists a subscription’s listeners oldest first', async () => {
      const store = await setup();
      const s = sub();
      const later = newConnection(id(), 'app-1', [s], T0 + 5_000);
      const earlier = newConnection(id(), 'app-1', [s], T0);
      await store.put(later);
      await store.put(earlier);
      expect((await store.listeners(s, T0 + 6_000)).map((l) => l.connectionId)).toEqual([
        earlier.connectionId,
        later.connectionId,
      ]);
    });

    it('forgets a removed connection everywhere, also records it no longer names', async () => {
      const store = await setup();
      const [a, b] = [sub(), sub()];
      const connection = newConnection(id(), 'app-1', [a], T0);
      await store.put(connection);
      // A listening record of `b` whose connection record is gone (a crash between two writes).
      const orphan = newConnection(connection.connectionId, 'app-1', [b], T0);
      await store.put(orphan);
      await store.put(connection);
      await store.remove(connection.connectionId, [b]);
      expect(await store.get(connection.connectionId, T0)).toBeUndefined();
      expect(await store.listeners(a, T0)).toEqual([]);
      expect(await store.listeners(b, T0)).toEqual([]);
      await store.remove(connection.connectionId);
      await store.remove(id(), [a]);
    });

    it('treats an expired connection as gone, whether or not the table removed it yet', async () => {
      const store = await setup();
      const s = sub();
      const connection = newConnection(id(), 'app-1', [s], T0);
      await store.put(connection);
      expect(await store.get(connection.connectionId, connection.expiresAt)).toBeUndefined();
      expect(await store.listeners(s, connection.expiresAt)).toEqual([]);
      expect(await store.listeners(s, connection.expiresAt - 1)).toHaveLength(1);
    });
  });
}
