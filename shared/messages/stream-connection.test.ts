import { describe, expect, it } from 'vitest';
import type { DomainError } from '../kernel/errors.ts';
import {
  isLive,
  MAX_CONNECTION_MS,
  MAX_STREAM_SUBSCRIPTIONS,
  newConnection,
  streamedSubscriptions,
} from './stream-connection.ts';
import type { DeliveryMode } from './subscription.ts';

const s = (subscriptionId: string, mode: DeliveryMode = 'websocket', appId = 'app-1') => ({
  subscriptionId,
  appId,
  mode,
});
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as DomainError).code;
  }
  return undefined;
};

describe('a stream connection', () => {
  it('lives as long as API Gateway keeps a connection open, 2 hours', () => {
    const c = newConnection('c1=', 'app-1', ['sub_a'], 1_000);
    expect(c).toEqual({
      connectionId: 'c1=',
      appId: 'app-1',
      subscriptionIds: ['sub_a'],
      connectedAt: 1_000,
      expiresAt: 1_000 + MAX_CONNECTION_MS,
    });
    expect(isLive(c, 1_000 + MAX_CONNECTION_MS - 1)).toBe(true);
    expect(isLive(c, 1_000 + MAX_CONNECTION_MS)).toBe(false);
  });

  it('receives every websocket subscription of the app, or the one it asked for', () => {
    const owned = [s('sub_a'), s('sub_hook', 'webhook'), s('sub_b'), s('sub_pull', 'pull')];
    expect(streamedSubscriptions('app-1', owned)).toEqual(['sub_a', 'sub_b']);
    expect(streamedSubscriptions('app-1', owned, 'sub_b')).toEqual(['sub_b']);
  });

  it("refuses another app's subscription, an unknown one, one of another mode, or none at all", () => {
    const owned = [s('sub_a'), s('sub_hook', 'webhook'), s('sub_theirs', 'websocket', 'app-2')];
    expect(refusal(() => streamedSubscriptions('app-1', owned, 'sub_theirs'))).toBe('not-found');
    expect(refusal(() => streamedSubscriptions('app-1', owned, 'sub_nope'))).toBe('not-found');
    expect(refusal(() => streamedSubscriptions('app-1', owned, '../etc'))).toBe('not-found');
    expect(refusal(() => streamedSubscriptions('app-1', owned, 'sub_hook'))).toBe('conflict');
    expect(refusal(() => streamedSubscriptions('app-1', [s('sub_hook', 'webhook')]))).toBe('conflict');
    const many = Array.from({ length: MAX_STREAM_SUBSCRIPTIONS + 1 }, (_, i) => s(`sub_${i}`));
    expect(refusal(() => streamedSubscriptions('app-1', many))).toBe('conflict');
    expect(streamedSubscriptions('app-1', many, 'sub_7')).toEqual(['sub_7']);
  });
});
