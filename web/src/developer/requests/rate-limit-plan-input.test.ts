import { describe, expect, it } from 'vitest';
import { EMPTY_PLAN_INPUT, parsePlanInput, parsePolicyInput, planErrorsOf } from './rate-limit-plan-input.ts';

describe('a limit as typed', () => {
  it('asks for nothing when left blank', () => {
    expect(parsePolicyInput({ limit: '', windowSeconds: 60 })).toEqual({ ok: true });
    expect(parsePolicyInput({ limit: '   ', windowSeconds: 3600 })).toEqual({ ok: true });
  });

  it('is a whole number of calls a window', () => {
    expect(parsePolicyInput({ limit: '600', windowSeconds: 60 })).toEqual({
      ok: true,
      policy: { limit: 600, windowSeconds: 60 },
    });
    expect(parsePolicyInput({ limit: ' 1 ', windowSeconds: 1 })).toEqual({
      ok: true,
      policy: { limit: 1, windowSeconds: 1 },
    });
    expect(parsePolicyInput({ limit: '10,000', windowSeconds: 86400 })).toEqual({
      ok: true,
      policy: { limit: 10_000, windowSeconds: 86400 },
    });
    expect(parsePolicyInput({ limit: '1000000', windowSeconds: 3600 })).toEqual({
      ok: true,
      policy: { limit: 1_000_000, windowSeconds: 3600 },
    });
  });

  it('says what is wrong with anything else', () => {
    const notWhole = {
      ok: false,
      control: 'limit',
      message: 'Enter a whole number of calls, like 600, or leave it blank.',
    };
    for (const limit of ['1.5', '-3', 'ten', '6,00', '1e3', '600 calls'])
      expect(parsePolicyInput({ limit, windowSeconds: 60 })).toEqual(notWhole);
    expect(parsePolicyInput({ limit: '0', windowSeconds: 60 })).toEqual({
      ok: false,
      control: 'limit',
      message: 'Enter at least 1 call, or leave it blank to ask for none.',
    });
    expect(parsePolicyInput({ limit: '1000001', windowSeconds: 60 })).toEqual({
      ok: false,
      control: 'limit',
      message: 'Enter at most 1,000,000 calls.',
    });
    expect(parsePolicyInput({ limit: '600', windowSeconds: 120 })).toEqual({
      ok: false,
      control: 'window',
      message: 'Choose a second, a minute, an hour or a day.',
    });
  });
});

describe('a plan as typed', () => {
  it('is none when both limits are blank', () => {
    expect(parsePlanInput(EMPTY_PLAN_INPUT)).toEqual({ ok: true });
  });

  it('has the limits filled in', () => {
    expect(
      parsePlanInput({ appApi: { limit: '600', windowSeconds: 60 }, app: { limit: '', windowSeconds: 60 } }),
    ).toEqual({ ok: true, plan: { appApi: { limit: 600, windowSeconds: 60 } } });
    expect(
      parsePlanInput({ appApi: { limit: '600', windowSeconds: 60 }, app: { limit: '10', windowSeconds: 1 } }),
    ).toEqual({
      ok: true,
      plan: { appApi: { limit: 600, windowSeconds: 60 }, app: { limit: 10, windowSeconds: 1 } },
    });
  });

  it('names each row that is wrong', () => {
    expect(
      parsePlanInput({ appApi: { limit: '600', windowSeconds: 60 }, app: { limit: '0', windowSeconds: 1 } }),
    ).toEqual({
      ok: false,
      errors: {
        app: {
          control: 'limit',
          message: 'Enter at least 1 call, or leave it blank to ask for none.',
        },
      },
    });
  });
});

describe('the platform’s complaints about a plan', () => {
  it('go against their rows, the first of a row winning, and the others stay with the form', () => {
    const others = [
      { pointer: '/note', message: 'must NOT have more than 1000 characters' },
      { pointer: '/rateLimits', message: 'must NOT have fewer than 1 properties' },
      { pointer: '/rateLimits/appApiX', message: 'is not allowed' },
    ];
    expect(
      planErrorsOf([
        { pointer: '/rateLimits/appApi/limit', message: 'must be <= 1000000' },
        { pointer: '/rateLimits/appApi/burst', message: 'must be >= 1' },
        { pointer: '/rateLimits/app/windowSeconds', message: 'must be <= 86400' },
        ...others,
      ]),
    ).toEqual({
      rows: {
        appApi: { control: 'limit', message: 'Calls to each API must be <= 1000000.' },
        app: { control: 'window', message: 'The window of calls in all must be <= 86400.' },
      },
      others,
    });
  });

  it('keep a sentence of their own, and name the burst', () => {
    expect(
      planErrorsOf([
        { pointer: '/rateLimits/app/burst', message: 'must be <= 1000000' },
        { pointer: '/rateLimits/appApi', message: 'Ask for at most one plan.' },
      ]),
    ).toEqual({
      rows: {
        app: { control: 'limit', message: 'The burst of calls in all must be <= 1000000.' },
        appApi: { control: 'limit', message: 'Ask for at most one plan.' },
      },
      others: [],
    });
  });
});
