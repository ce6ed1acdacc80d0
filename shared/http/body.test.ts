import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readForm, readJsonObject, textBody } from './body.ts';
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

const base64 = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p)))).toString(
    'base64',
  );

const problemOf = (fn: () => unknown): ProblemError | undefined => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  return undefined;
};

describe('invalid UTF-8', () => {
  it.each([
    ['a lone continuation byte', [0x80]],
    ['an invalid lead byte', [0xff, 0xfe]],
    ['a truncated sequence', [0xc3]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
  ])('is refused with 400 malformed-body in a JSON body: %s', (_name, bytes) => {
    const problem = problemOf(() =>
      readJsonObject(event(base64('{"name":"', bytes, '"}'), 'application/json', true)),
    );
    expect(problem?.code).toBe('malformed-body');
    expect(problem?.detail).toBe('The body is not valid UTF-8.');
  });

  it('is not confused with valid multi-byte text or a U+FFFD the caller did send', () => {
    expect(readJsonObject(event(base64('{"name":"Zoë 名前 😀"}'), 'application/json', true))).toEqual({
      name: 'Zoë 名前 😀',
    });
    expect(readJsonObject(event('{"name":"\uFFFD �"}', 'application/json'))).toEqual({
      name: '� �',
    });
  });

  it('textBody keeps the size limit before decoding', () => {
    expect(statusOf(() => textBody(event('x'.repeat(1024 * 1024 + 1), 'text/plain')))).toBe(413);
  });

  it('accepts every byte sequence that is UTF-8 and refuses every other', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const buffer = Buffer.from(bytes);
        const problem = problemOf(() => textBody(event(buffer.toString('base64'), 'text/plain', true)));
        if (Buffer.from(buffer.toString('utf8')).equals(buffer)) {
          expect(problem).toBeUndefined();
        } else {
          expect(problem?.code).toBe('malformed-body');
        }
      }),
    );
  });

  it.each([
    ['raw bytes', base64('grant_type=client_credentials&scope=a', [0xff])],
    ['a percent-encoded invalid byte', base64('grant_type=client_credentials&scope=a%FF')],
    ['a percent-encoded truncated sequence in a name', base64('gr%C3nt_type=client_credentials')],
  ])('is refused with 400 malformed-body in a form: %s', (_name, body) => {
    const problem = problemOf(() => readForm(event(body, 'application/x-www-form-urlencoded', true)));
    expect(problem?.code).toBe('malformed-body');
  });

  it('leaves valid forms as URLSearchParams reads them, literal % included', () => {
    const { params } = readForm(
      event(
        base64('name=Zo%C3%AB+B&rate=100%&pct=%zz&e=%E2%82%AC'),
        'application/x-www-form-urlencoded',
        true,
      ),
    );
    expect(Object.fromEntries(params)).toEqual({ name: 'Zoë B', rate: '100%', pct: '%zz', e: '€' });
  });
});

describe('readForm', () => {
  it('reports duplicated parameters', () => {
    const { params, duplicates } = readForm(event('a=1&b=2&a=3', 'application/x-www-form-urlencoded'));
    expect(params.get('b')).toBe('2');
    expect(duplicates).toEqual(['a']);
  });
});
