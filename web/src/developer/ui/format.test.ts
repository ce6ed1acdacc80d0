import { describe, expect, it } from 'vitest';
import { formatCount, formatDateTime, formatMs, fromLocalInput, toLocalInput } from './format.ts';

describe('format', () => {
  it('formats moments, and shows what is no date as given', () => {
    expect(formatDateTime('2030-01-02T10:00:00Z', 'en-GB')).toMatch(/2 Jan 2030/);
    expect(formatDateTime('soon')).toBe('soon');
    expect(formatDateTime(undefined)).toBe('–');
  });

  it('formats counts and durations', () => {
    expect(formatCount(12345, 'en-US')).toBe('12,345');
    expect(formatMs(840.4)).toBe('840 ms');
    expect(formatMs(1250)).toBe('1.3 s');
    expect(formatMs(12_400)).toBe('12 s');
  });

  it('round-trips datetime-local values through the local time zone', () => {
    const at = new Date(2030, 0, 2, 9, 5);
    expect(toLocalInput(at)).toBe('2030-01-02T09:05');
    expect(fromLocalInput(toLocalInput(at))).toBe(at.toISOString());
    expect(fromLocalInput('')).toBeUndefined();
    expect(fromLocalInput('2030-13-45T99:99')).toBeUndefined();
  });
});
