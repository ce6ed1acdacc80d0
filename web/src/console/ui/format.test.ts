import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatMs,
  formatShare,
  isoOfEpochSeconds,
} from './format.ts';

describe('console formats', () => {
  it('writes milliseconds with a precision that suits their size', () => {
    expect(formatMs(0.4242)).toBe('0.42 ms');
    expect(formatMs(12.345)).toBe('12.3 ms');
    expect(formatMs(845.2)).toBe('845 ms');
    expect(formatMs(2345)).toBe('2.35 s');
  });

  it('writes spans of time in the unit that suits them', () => {
    expect(formatDuration(500)).toBe('500 ms');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(600_000)).toBe('10 min');
    expect(formatDuration(90 * 60_000)).toBe('1.5 h');
    expect(formatDuration(7 * 86_400_000)).toBe('7 d');
  });

  it('writes shares as percentages', () => {
    expect(formatShare(0)).toBe('0 %');
    expect(formatShare(1)).toBe('100 %');
    expect(formatShare(0.025)).toBe('2.5 %');
    expect(formatShare(0.0005)).toBe('0.05 %');
    expect(formatShare(0.12345)).toBe('12.3 %');
  });

  it('writes counts and bytes', () => {
    expect(formatCount(12345, 'en')).toBe('12,345');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(40_753)).toBe('40.8 kB');
    expect(formatBytes(2_500_000)).toBe('2.5 MB');
  });

  it('reads epoch seconds', () => {
    expect(isoOfEpochSeconds(1_796_425_679)).toBe('2026-12-04T23:07:59.000Z');
  });
});
