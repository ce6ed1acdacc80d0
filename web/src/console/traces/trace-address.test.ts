import { describe, expect, it } from 'vitest';
import { traceHref, traceIdOf, traceRangeOf } from './trace-address.ts';

const ID = '9934684760a9856aa997bf0fd80f0fad';

describe('the trace id in what is pasted', () => {
  it('is the id itself, in any case and with spaces around', () => {
    expect(traceIdOf(ID)).toBe(ID);
    expect(traceIdOf(`  ${ID.toUpperCase()} `)).toBe(ID);
  });

  it('is read out of a traceparent', () => {
    expect(traceIdOf(`00-${ID}-230755a6af6d0b4e-01`)).toBe(ID);
  });

  it('is none for anything else', () => {
    expect(traceIdOf('abc')).toBeUndefined();
    expect(traceIdOf(`${ID}0`)).toBeUndefined();
    expect(traceIdOf('')).toBeUndefined();
  });
});

describe('a trace’s page', () => {
  it('is the trace alone without a time', () => {
    expect(traceHref(ID)).toBe(`/traces/${ID}`);
  });

  it('looks around the call it was opened from', () => {
    const href = traceHref(ID, '2030-01-01T10:00:00.000Z');
    expect(href).toBe(`/traces/${ID}?from=2030-01-01T09%3A00%3A00.000Z&to=2030-01-01T11%3A00%3A00.000Z`);
    expect(traceRangeOf(href.slice(href.indexOf('?')))).toEqual({
      from: '2030-01-01T09:00:00.000Z',
      to: '2030-01-01T11:00:00.000Z',
    });
  });

  it('reads no range from an address without one', () => {
    expect(traceRangeOf('')).toEqual({});
  });
});
