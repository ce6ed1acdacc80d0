import { describe, expect, it } from 'vitest';
import { InvalidCursorError } from '../kernel/page.ts';
import { decodeCursor, encodeCursor } from './dynamo-cursor.ts';

describe('paging cursors', () => {
  const key = { pk: 'APP#a1', sk: 'TOKEN#j1' };

  it('round-trip within their listing', () => {
    expect(decodeCursor('tokens:APP#a1', encodeCursor('tokens:APP#a1', key))).toEqual(key);
    expect(encodeCursor('tokens:APP#a1', undefined)).toBeUndefined();
    expect(decodeCursor('tokens:APP#a1', undefined)).toBeUndefined();
  });

  it('refuse a cursor of another listing, of another app, or without the keys the index needs', () => {
    const cursor = encodeCursor('tokens:APP#a1', key)!;
    expect(() => decodeCursor('tokens:APP#b2', cursor)).toThrow(InvalidCursorError);
    expect(() => decodeCursor('audit', cursor)).toThrow(InvalidCursorError);
    const withoutIndexKeys = encodeCursor('apps', key)!;
    expect(() => decodeCursor('apps', withoutIndexKeys, ['pk', 'sk', 'gsi1pk', 'gsi1sk'])).toThrow(
      InvalidCursorError,
    );
  });

  it('refuse a cursor holding a key of another partition, even under the right listing name', () => {
    const forged = encodeCursor('tokens:APP#a1', { pk: 'APP#b2', sk: 'TOKEN#j9' });
    expect(() => decodeCursor('tokens:APP#a1', forged, ['pk', 'sk'], { pk: 'APP#a1' })).toThrow(
      InvalidCursorError,
    );
    expect(
      decodeCursor('tokens:APP#a1', encodeCursor('tokens:APP#a1', key), ['pk', 'sk'], { pk: 'APP#a1' }),
    ).toEqual(key);
  });

  it('refuse malformed and forged cursors', () => {
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of [
      'garbage',
      forged(null),
      forged({ s: 'audit' }),
      forged({ s: 'audit', k: { pk: 1, sk: 'x' } }),
      forged({ s: 'audit', k: { pk: 'AUDIT', sk: { S: 'x' } } }),
    ])
      expect(() => decodeCursor('audit', cursor), cursor).toThrow(InvalidCursorError);
  });
});
