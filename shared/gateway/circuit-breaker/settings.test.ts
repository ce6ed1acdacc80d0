import { describe, expect, it } from 'vitest';
import { toProblem } from '../../http/problem.ts';
import { DomainError } from '../../kernel/errors.ts';
import { bodyValidator } from '../../kernel/validation.ts';
import {
  type BreakerSettings,
  breakerSettingsSchema,
  DEFAULT_BREAKER_SETTINGS,
  maxBackoffLevel,
  openDurationMs,
  resolveBreakerSettings,
} from './settings.ts';

const violations = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) {
      expect(toProblem(error).status).toBe(400);
      return (error.details.errors as { pointer: string }[]).map((e) => e.pointer);
    }
    throw error;
  }
  return [];
};

describe('breaker settings', () => {
  it('has valid, documented defaults', () => {
    expect(resolveBreakerSettings()).toEqual(DEFAULT_BREAKER_SETTINGS);
    expect(DEFAULT_BREAKER_SETTINGS).toMatchObject({
      windowMs: 10_000,
      bucketMs: 1_000,
      minimumCalls: 20,
      failureRateThreshold: 50,
      openBaseMs: 5_000,
      openMaxMs: 60_000,
      halfOpenProbes: 5,
    });
    for (const [name, value] of Object.entries(DEFAULT_BREAKER_SETTINGS)) {
      const property = (
        breakerSettingsSchema.properties as Record<string, { default?: unknown; description?: string }>
      )[name];
      expect(property?.default, name).toBe(value);
      expect(property?.description, name).toBeTruthy();
    }
  });

  it('exports a schema the project bodyValidator compiles (strict ajv)', () => {
    const validate = bodyValidator<Partial<BreakerSettings>>(breakerSettingsSchema);
    expect(validate({ minimumCalls: 50 })).toEqual({ minimumCalls: 50 });
    expect(() => validate({ minimumCalls: 0 })).toThrow(DomainError);
  });

  it('completes a partial object with the defaults', () => {
    expect(resolveBreakerSettings({ halfOpenProbes: 1, openBaseMs: 1_000 })).toEqual({
      ...DEFAULT_BREAKER_SETTINGS,
      halfOpenProbes: 1,
      openBaseMs: 1_000,
    });
  });

  it('rejects unknown fields, wrong types and out-of-range values, all at once', () => {
    expect(
      violations(() =>
        resolveBreakerSettings({
          colour: 'red',
          minimumCalls: 1.5,
          failureRateThreshold: 0,
          halfOpenProbes: 1_000,
        }),
      ).sort(),
    ).toEqual(['/colour', '/failureRateThreshold', '/halfOpenProbes', '/minimumCalls']);
    expect(violations(() => resolveBreakerSettings('nope'))).toEqual(['/']);
  });

  it('checks the rules that span fields', () => {
    expect(violations(() => resolveBreakerSettings({ windowMs: 10_000, bucketMs: 3_000 }))).toEqual([
      '/bucketMs',
    ]);
    expect(violations(() => resolveBreakerSettings({ windowMs: 600_000, bucketMs: 100 }))).toEqual([
      '/bucketMs',
    ]);
    expect(violations(() => resolveBreakerSettings({ openBaseMs: 10_000, openMaxMs: 5_000 }))).toEqual([
      '/openMaxMs',
    ]);
    expect(
      violations(() =>
        resolveBreakerSettings({ degrade: { status: 200, body: '[]', headers: { 'Content-Length': '2' } } }),
      ),
    ).toEqual(['/degrade/headers/Content-Length']);
  });

  it('accepts a degrade answer and validates its shape', () => {
    const degrade = { status: 200, body: '{"items":[]}', headers: { 'cache-control': 'no-store' } };
    expect(resolveBreakerSettings({ degrade }).degrade).toEqual(degrade);
    expect(violations(() => resolveBreakerSettings({ degrade: { status: 99, body: '' } }))).toEqual([
      '/degrade/status',
    ]);
    expect(violations(() => resolveBreakerSettings({ degrade: { status: 503 } }))).toEqual(['/degrade/body']);
  });

  it('grows the open period ×2 per level up to the ceiling', () => {
    const s = DEFAULT_BREAKER_SETTINGS;
    expect([0, 1, 2, 3, 4, 5].map((level) => openDurationMs(s, level))).toEqual([
      5_000, 10_000, 20_000, 40_000, 60_000, 60_000,
    ]);
    expect(maxBackoffLevel(s)).toBe(4);
    expect(maxBackoffLevel({ ...s, openMaxMs: s.openBaseMs })).toBe(0);
  });
});
