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

  it('turns an AWS dependency that is down into a 503 with Retry-After and a generic detail', () => {
    const timeout = Object.assign(new Error('socket hang up at dynamodb.eu-west-1'), {
      name: 'TimeoutError',
    });
    const problem = toProblem(timeout);
    expect(problem.status).toBe(503);
    expect(problem.code).toBe('service-unavailable');
    expect(Number(problem.headers['retry-after'])).toBeGreaterThan(0);
    expect(problem.toBody().detail).not.toContain('dynamodb');
  });

  it('keeps a service error that is not an outage a 500', () => {
    const invalid = Object.assign(new Error('bad key'), {
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(toProblem(invalid).status).toBe(500);
  });
});
