import { describe, expect, it } from 'vitest';
import { DomainError } from '../../kernel/errors.ts';
import { compileMapping, jsonText, syntaxErrorOf } from './mapping.ts';

const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
};

describe('compileMapping', () => {
  it('maps the input with the bindings as variables', async () => {
    const mapping = compileMapping('{ "id": order.id, "ok": $status < 400 }', 'response');
    expect(await mapping.evaluate({ order: { id: 'o-1' } }, { status: 200 })).toEqual({
      id: 'o-1',
      ok: true,
    });
  });

  it('keeps evaluations apart: one compiled mapping serves concurrent calls', async () => {
    const mapping = compileMapping('$x', 'response');
    const results = await Promise.all([1, 2, 3].map((x) => mapping.evaluate({}, { x })));
    expect(results).toEqual([1, 2, 3]);
  });

  it('stops a runaway loop with the time budget', async () => {
    const mapping = compileMapping('($f := function($n) { $f($n + 1) }; $f(0))', 'response');
    const started = Date.now();
    const error = await failure(mapping.evaluate({}, {}));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.code).toBe('mapping-failed');
    expect(error.details).toEqual({ reason: 'timeout' });
  });

  it('stops a deep recursion with the depth budget', async () => {
    const mapping = compileMapping('($f := function($n) { 1 + $f($n + 1) }; $f(0))', 'request');
    const error = await failure(mapping.evaluate({}, {}));
    expect(error.details).toEqual({ reason: 'too-deep' });
    expect(error.detail).toBe(
      'The request transform of this route could not be applied: the mapping recursed too deeply.',
    );
  });

  it('never sends what the expression said', async () => {
    const error = await failure(
      compileMapping('$error("db password is hunter2")', 'response').evaluate({}, {}),
    );
    expect(error.details).toEqual({ reason: 'expression-failed' });
    expect(JSON.stringify([error.detail, error.details])).not.toContain('hunter2');
  });

  it('fails the call, not the gateway, for an expression that does not compile', async () => {
    const mapping = compileMapping('a.(', 'response');
    expect((await failure(mapping.evaluate({}, {}))).details).toEqual({ reason: 'expression-failed' });
  });
});

describe('syntaxErrorOf', () => {
  it('says where an expression is broken, and nothing for a good one', () => {
    expect(syntaxErrorOf('{ "a": b }')).toBeUndefined();
    expect(syntaxErrorOf('a.(')).toMatch(/^is not a valid JSONata expression at position 3: /);
  });
});

describe('jsonText', () => {
  it('writes JSON, nothing as null', () => {
    expect(jsonText({ a: [1, 'x'] }, 'response', 100)).toBe('{"a":[1,"x"]}');
    expect(jsonText(undefined, 'response', 100)).toBe('null');
  });

  it('refuses a function and a result over the size limit', async () => {
    const lambda = await compileMapping('function($x) { $x }', 'response').evaluate({}, {});
    expect(() => jsonText(lambda, 'response', 100)).toThrow(
      expect.objectContaining({ code: 'mapping-failed', details: { reason: 'not-json' } }),
    );
    expect(() => jsonText('x'.repeat(200), 'response', 100)).toThrow(
      expect.objectContaining({ details: { reason: 'too-large' } }),
    );
  });
});
