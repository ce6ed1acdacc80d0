import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readForm, readJsonObject } from './body.ts';
import { ProblemError } from './problem.ts';
import type { HttpEvent } from './types.ts';

const event = (body: string | undefined, contentType?: string, isBase64Encoded = false) =>
  ({
    headers: contentType ? { 'Content-Type': contentType } : {},
    body,
    isBase64Encoded,
  }) as unknown as HttpEvent;

const statusOf = (fn: () => unknown): number | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof ProblemError ? error.status : -1;
  }
};

describe('readJsonObject', () => {
  it('parses an object sent as application/json with parameters', () => {
    expect(readJsonObject(event('{"a":1}', 'application/json; charset=utf-8'))).toEqual({ a: 1 });
  });

  it('decodes base64 bodies', () => {
    expect(
      readJsonObject(event(Buffer.from('{"b":2}').toString('base64'), 'application/json', true)),
    ).toEqual({
      b: 2,
    });
  });

  it.each([
    ['text/plain', '{"a":1}', 415],
    [undefined, '{"a":1}', 415],
    ['application/json', '{"a":', 400],
    ['application/json', '[1,2]', 400],
    ['application/json', 'null', 400],
    ['application/json', '', 400],
  ])('refuses %s %j with %i', (type, body, status) => {
    expect(statusOf(() => readJsonObject(event(body, type)))).toBe(status);
  });

  it('refuses oversized bodies with 413', () => {
    expect(statusOf(() => readJsonObject(event('x'.repeat(1024 * 1024 + 1), 'application/json')))).toBe(413);
  });

  it('never throws anything but a 4xx problem, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.option(fc.constantFrom('application/json', 'text/html', 'x')),
        (body, type) => {
          const status = statusOf(() => readJsonObject(event(body, type ?? undefined)));
          expect(status === undefined || (status >= 400 && status < 500)).toBe(true);
        },
      ),
    );
  });
});

describe('readForm', () => {
  it('reports duplicated parameters', () => {
    const { params, duplicates } = readForm(event('a=1&b=2&a=3', 'application/x-www-form-urlencoded'));
    expect(params.get('b')).toBe('2');
    expect(duplicates).toEqual(['a']);
  });
});
