import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.ts';
import { saveFailureOf } from './save-outcome.ts';

const problem = (status: number, errors?: { pointer: string; message: string }[]) =>
  new ApiError({ type: 'about:blank', title: 'x', status, ...(errors ? { errors } : {}) });

describe('a refused save', () => {
  it('is shown against the fields when the platform names them', () => {
    const errors = [{ pointer: '/timeoutMs', message: 'must be integer' }];
    expect(saveFailureOf(problem(400, errors))).toEqual({ kind: 'invalid', errors });
  });

  it('is stale when another write won', () => {
    expect(saveFailureOf(problem(409))).toEqual({ kind: 'stale' });
    expect(saveFailureOf(problem(412))).toEqual({ kind: 'stale' });
  });

  it('is any other problem as it is', () => {
    const error = problem(400);
    expect(saveFailureOf(error)).toEqual({ kind: 'other', error });
    expect(saveFailureOf(problem(503)).kind).toBe('other');
    expect(saveFailureOf(new TypeError('x')).kind).toBe('other');
  });
});
