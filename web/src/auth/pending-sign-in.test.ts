import { describe, expect, it } from 'vitest';
import { savePendingSignIn, takePendingSignIn } from './pending-sign-in.ts';

/** An in-memory Storage, as sessionStorage behaves. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  };
}

describe('the pending sign-in', () => {
  it('is read once, then gone', () => {
    const storage = memoryStorage();
    savePendingSignIn({ verifier: 'v', state: 's', returnTo: '/apis/echo' }, storage);
    expect(takePendingSignIn(storage)).toEqual({ verifier: 'v', state: 's', returnTo: '/apis/echo' });
    expect(takePendingSignIn(storage)).toBeUndefined();
    expect(storage.length).toBe(0);
  });

  it('ignores an unreadable entry and an unsafe return path', () => {
    const storage = memoryStorage();
    storage.setItem('portico.pending-sign-in', '{not json');
    expect(takePendingSignIn(storage)).toBeUndefined();
    savePendingSignIn({ verifier: 'v', state: 's', returnTo: '//evil.example' }, storage);
    expect(takePendingSignIn(storage)?.returnTo).toBe('/');
  });
});
