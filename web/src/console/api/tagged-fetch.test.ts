import { describe, expect, it } from 'vitest';
import { revisionOfEtag } from './tagged-fetch.ts';

describe('the revision of an entity tag', () => {
  it('is the quoted value', () => {
    expect(revisionOfEtag('"3"')).toBe('3');
    expect(revisionOfEtag('W/"12"')).toBe('12');
  });

  it('is undefined without a tag or with a malformed one', () => {
    expect(revisionOfEtag(null)).toBeUndefined();
    expect(revisionOfEtag('3')).toBeUndefined();
    expect(revisionOfEtag('""')).toBeUndefined();
  });
});
