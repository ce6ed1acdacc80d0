import { describe, expect, it } from 'vitest';
import { lifecycleChoices } from './lifecycle.ts';

describe('lifecycle choices', () => {
  it('start a new API as a draft or published', () => {
    expect(lifecycleChoices(undefined, true)).toEqual(['draft', 'published']);
  });

  it('follow the moves the platform allows', () => {
    expect(lifecycleChoices('published', false)).toEqual(['published', 'deprecated', 'retired']);
    expect(lifecycleChoices('deprecated', false)).toContain('published');
    expect(lifecycleChoices('draft', false)).not.toContain('deprecated');
  });

  it('treat a definition without a lifecycle as published, and retirement as final', () => {
    expect(lifecycleChoices(undefined, false)).toEqual(['published', 'deprecated', 'retired']);
    expect(lifecycleChoices('retired', false)).toEqual(['retired']);
  });
});
