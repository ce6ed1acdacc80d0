import { describe, expect, it } from 'vitest';
import { ProblemError, problemType, toProblem } from './problem.ts';

describe('problem details', () => {
  it('renders RFC 9457 members with a stable type', () => {
    const body = new ProblemError('validation-failed', 'name is required', { errors: ['x'] }).toBody('req-1');
    expect(body).toEqual({
      type: 'urn:portico:problem:validation-failed',
      title: 'The request is not valid',
      status: 400,
      detail: 'name is required',
      instance: 'req-1',
      errors: ['x'],
    });
  });

  it('hides everything about unexpected errors', () => {
    const problem = toProblem(new Error('connect ECONNREFUSED 10.0.0.1:5432'));
    expect(problem.status).toBe(500);
    expect(problem.toBody().detail).toBeUndefined();
    expect(problem.toBody().type).toBe(problemType('internal'));
  });

  it('keeps 5xx problems raised on purpose, such as a gateway timeout', () => {
    const problem = toProblem(new ProblemError('upstream-timeout', 'after 3000 ms'));
    expect(problem.status).toBe(504);
    expect(problem.expose).toBe(false);
    expect(problem.toBody().detail).toBe('after 3000 ms');
  });
});
