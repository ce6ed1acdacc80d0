import { describe, expect, it } from 'vitest';
import { isoOfLocalInput, localInputOf } from './time-input.ts';

describe('local time inputs', () => {
  it('round-trip an instant to the minute, in whatever zone the reader is', () => {
    const iso = '2030-06-01T10:15:00.000Z';
    expect(isoOfLocalInput(localInputOf(iso))).toBe(iso);
    expect(localInputOf(iso)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
  });

  it('drop seconds', () => {
    expect(isoOfLocalInput(localInputOf('2030-06-01T10:15:42.123Z'))).toBe('2030-06-01T10:15:00.000Z');
  });

  it('read nothing from an empty or malformed value', () => {
    expect(isoOfLocalInput('')).toBeUndefined();
    expect(isoOfLocalInput('tomorrow')).toBeUndefined();
    expect(localInputOf('not a time')).toBe('');
  });
});
