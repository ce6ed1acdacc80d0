import { describe, expect, it } from 'vitest';
import { isCi, planLint } from './synth-check.ts';

describe('synth-check: the cfn-lint step', () => {
  it('lints whenever cfn-lint is installed, in CI or not', () => {
    expect(planLint(true, true)).toEqual({ action: 'lint' });
    expect(planLint(true, false)).toEqual({ action: 'lint' });
  });

  it('fails in CI without cfn-lint, saying how to install it', () => {
    const plan = planLint(false, true);
    expect(plan.action).toBe('fail');
    expect(plan).toHaveProperty(
      'message',
      expect.stringMatching(/cfn-lint is not installed.*CI=true.*pip install cfn-lint/),
    );
  });

  it('skips with one line elsewhere', () => {
    const plan = planLint(false, false);
    expect(plan).toEqual({
      action: 'skip',
      message: expect.stringMatching(/^synth-check: cfn-lint skipped: not installed/),
    });
    expect((plan as { message: string }).message).not.toContain('\n');
  });

  it('reads CI=true (or 1) as CI, anything else as a local run', () => {
    for (const CI of ['true', 'TRUE', '1']) expect(isCi({ CI }), CI).toBe(true);
    for (const CI of [undefined, '', 'false', '0', 'no']) expect(isCi({ CI }), String(CI)).toBe(false);
  });
});
