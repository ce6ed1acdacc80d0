import { describe, expect, it } from 'vitest';
import { fieldOfPointer, hasErrors, NO_ERRORS, placeErrors } from './problem-fields.ts';

describe('the form input of a JSON pointer', () => {
  it('is the member’s input for the common members', () => {
    expect(fieldOfPointer('/timeoutMs')).toBe('timeoutMs');
    expect(fieldOfPointer('/name')).toBe('name');
    expect(fieldOfPointer('/description')).toBe('description');
    expect(fieldOfPointer('/version')).toBe('version');
  });

  it('is the list’s input for an item of a list', () => {
    expect(fieldOfPointer('/requiredScopes/1')).toBe('requiredScopes');
    expect(fieldOfPointer('/authModes')).toBe('authModes');
    expect(fieldOfPointer('/authModes/0')).toBe('authModes');
  });

  it('is the upstream’s row for its URL, and the list for the list', () => {
    expect(fieldOfPointer('/upstreams/2/url')).toBe('upstreams.2');
    expect(fieldOfPointer('/upstreams/0')).toBe('upstreams.0');
    expect(fieldOfPointer('/upstreams')).toBe('upstreams');
    expect(fieldOfPointer('/upstreams/0/weight')).toBeUndefined();
  });

  it('names the lifecycle’s and the mock’s inputs', () => {
    expect(fieldOfPointer('/lifecycle/status')).toBe('lifecycleStatus');
    expect(fieldOfPointer('/lifecycle')).toBe('lifecycleStatus');
    expect(fieldOfPointer('/lifecycle/sunsetAt')).toBe('sunsetAt');
    expect(fieldOfPointer('/lifecycle/link')).toBe('lifecycleLink');
    expect(fieldOfPointer('/mock/enabled')).toBe('mockEnabled');
    expect(fieldOfPointer('/mock/rules/0/path')).toBeUndefined();
  });

  it('is none for members the form does not show, or the whole body', () => {
    expect(fieldOfPointer('/routes/0/path')).toBeUndefined();
    expect(fieldOfPointer('/circuitBreaker/minimumCalls')).toBeUndefined();
    expect(fieldOfPointer('/')).toBeUndefined();
    expect(fieldOfPointer('')).toBeUndefined();
    expect(fieldOfPointer('/timeoutMs/extra')).toBeUndefined();
  });

  it('reads escaped tokens', () => {
    expect(fieldOfPointer('/cors~1x')).toBeUndefined();
  });
});

describe('placing a problem’s errors', () => {
  it('puts each against its input, and the others aside', () => {
    const placed = placeErrors([
      { pointer: '/timeoutMs', message: 'must be <= 28000' },
      { pointer: '/upstreams/0/url', message: 'must match format "uri"' },
      { pointer: '/timeoutMs', message: 'must be integer' },
      { pointer: '/routes/1/path', message: 'must match pattern' },
      { path: 'dryRun', message: 'must be true or false' },
    ]);
    expect(placed.byField).toEqual({
      timeoutMs: ['must be <= 28000', 'must be integer'],
      'upstreams.0': ['must match format "uri"'],
    });
    expect(placed.unplaced).toEqual([
      { pointer: '/routes/1/path', message: 'must match pattern' },
      { path: 'dryRun', message: 'must be true or false' },
    ]);
    expect(hasErrors(placed)).toBe(true);
    expect(hasErrors(NO_ERRORS)).toBe(false);
  });
});
