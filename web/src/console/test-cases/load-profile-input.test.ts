import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.ts';
import {
  checkLoadProfile,
  loadFieldOf,
  NEW_LOAD_PROFILE_FORM,
  plannedOf,
  startFailureOf,
} from './load-profile-input.ts';

const form = (overrides: Partial<typeof NEW_LOAD_PROFILE_FORM>) => ({
  ...NEW_LOAD_PROFILE_FORM,
  ...overrides,
});

const problem = (status: number, errors?: { pointer: string; message: string }[]) =>
  new ApiError({ type: 'about:blank', title: 'x', status, ...(errors ? { errors } : {}) });

describe('a load profile as typed', () => {
  it('starts at 10 per second for 10 s, 5 in flight', () => {
    expect(checkLoadProfile(NEW_LOAD_PROFILE_FORM)).toEqual({
      ok: true,
      profile: { ratePerSecond: 10, durationSeconds: 10, concurrency: 5 },
    });
  });

  it('is read up to the platform’s caps', () => {
    expect(checkLoadProfile({ ratePerSecond: ' 50 ', durationSeconds: '60', concurrency: '20' })).toEqual({
      ok: true,
      profile: { ratePerSecond: 50, durationSeconds: 60, concurrency: 20 },
    });
  });

  it('asks for each empty input', () => {
    expect(checkLoadProfile({ ratePerSecond: '', durationSeconds: ' ', concurrency: '' })).toEqual({
      ok: false,
      problems: {
        ratePerSecond: 'Enter how many requests to send each second.',
        durationSeconds: 'Enter how many seconds to send them for.',
        concurrency: 'Enter how many requests may be in flight at once.',
      },
    });
  });

  it('refuses numbers beyond the caps, below 1, or not whole', () => {
    expect(checkLoadProfile(form({ ratePerSecond: '51' }))).toEqual({
      ok: false,
      problems: { ratePerSecond: 'A whole number from 1 to 50.' },
    });
    expect(checkLoadProfile(form({ durationSeconds: '61', concurrency: '0' }))).toEqual({
      ok: false,
      problems: {
        durationSeconds: 'A whole number from 1 to 60.',
        concurrency: 'A whole number from 1 to 20.',
      },
    });
    for (const typed of ['2.5', '-3', '1e1', 'ten'])
      expect(checkLoadProfile(form({ concurrency: typed })).ok, typed).toBe(false);
  });

  it('plans rate × duration requests, once both are within the caps', () => {
    expect(plannedOf(form({ ratePerSecond: '5', durationSeconds: '2', concurrency: '' }))).toBe(10);
    expect(plannedOf(form({ ratePerSecond: '5', durationSeconds: '61' }))).toBeUndefined();
  });
});

describe('a refused load run', () => {
  it('puts the platform’s field errors against the inputs they name', () => {
    expect(loadFieldOf('/ratePerSecond')).toBe('ratePerSecond');
    expect(loadFieldOf('/profile')).toBeUndefined();
    expect(
      startFailureOf(
        problem(400, [
          { pointer: '/ratePerSecond', message: 'must be <= 50' },
          { pointer: '/ratePerSecond', message: 'must be integer' },
          { pointer: '/concurrency', message: 'must be >= 1' },
        ]),
      ),
    ).toEqual({
      kind: 'invalid',
      problems: { ratePerSecond: 'must be <= 50; must be integer', concurrency: 'must be >= 1' },
    });
  });

  it('is shown as it is when an error names no input', () => {
    const error = problem(400, [
      { pointer: '/ratePerSecond', message: 'must be <= 50' },
      { pointer: '', message: 'must NOT have additional properties' },
    ]);
    expect(startFailureOf(error)).toEqual({ kind: 'other', error });
  });

  it('is busy while another load run of the API is queued or running', () => {
    expect(startFailureOf(problem(409))).toEqual({ kind: 'busy' });
    expect(startFailureOf(problem(403)).kind).toBe('other');
    expect(startFailureOf(new TypeError('x')).kind).toBe('other');
  });
});
