import { describe, expect, it } from 'vitest';
import type { Subscription } from './ports.ts';
import { SubscriptionModes } from './subscription-modes.ts';

describe('SubscriptionModes', () => {
  it('reads each subscription once, forgets the oldest beyond its capacity, never remembers an unknown one', async () => {
    const reads: string[] = [];
    const store = {
      get: async (id: string) => {
        reads.push(id);
        return id === 'sub_gone'
          ? undefined
          : ({ mode: id === 'sub_ws' ? 'websocket' : 'webhook' } as Subscription);
      },
    };
    const modes = new SubscriptionModes(store, 2);
    expect(await modes.of('sub_ws')).toBe('websocket');
    expect(await modes.of('sub_ws')).toBe('websocket');
    expect(await modes.of('sub_hook')).toBe('webhook');
    expect(await modes.of('sub_gone')).toBeUndefined();
    expect(await modes.of('sub_gone')).toBeUndefined();
    expect(reads).toEqual(['sub_ws', 'sub_hook', 'sub_gone', 'sub_gone']);
    await modes.of('sub_other');
    await modes.of('sub_ws');
    expect(reads.at(-1)).toBe('sub_ws');
  });
});
