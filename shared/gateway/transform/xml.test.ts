import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../kernel/errors.ts';
import { xmlToJson } from './xml.ts';

const reasonOf = async (body: Buffer | string, contentType?: string) => {
  const error = await xmlToJson(Buffer.from(body), contentType).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe('mapping-failed');
  return (error as DomainError).details.reason;
};

describe('xmlToJson', () => {
  it('reads elements, repeated ones as lists, attributes as @name, every value as a string', async () => {
    const xml = `<?xml version="1.0"?>
      <order id="o-7"><total currency="CNY">0012.50</total><item>a</item><item>b &amp; c</item></order>`;
    expect(await xmlToJson(Buffer.from(xml))).toEqual({
      order: {
        '@id': 'o-7',
        total: { '@currency': 'CNY', '#text': '0012.50' },
        item: ['a', 'b & c'],
      },
    });
  });

  it('decodes the declared encoding', async () => {
    const gbk = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="GBK"?><msg>'),
      Buffer.from([0xc4, 0xe3, 0xba, 0xc3]), // 你好
      Buffer.from('</msg>'),
    ]);
    expect(await xmlToJson(gbk)).toEqual({ msg: '你好' });
  });

  it('refuses a DTD, so no entity is declared or expanded', async () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><a>&lol2;</a>`;
    expect(await reasonOf(laughs)).toBe('malformed-xml');
    expect(await reasonOf('<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>')).toBe('malformed-xml');
  });

  it('refuses malformed, undecodable, too deep and too large documents', async () => {
    expect(await reasonOf('<a><b></a>')).toBe('malformed-xml');
    expect(await reasonOf('{"json": true}')).toBe('malformed-xml');
    expect(await reasonOf(Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e]))).toBe(
      'malformed-xml',
    );
    expect(await reasonOf('<a/>', 'application/xml; charset=no-such-thing')).toBe('malformed-xml');
    expect(await reasonOf(`${'<a>'.repeat(200)}${'</a>'.repeat(200)}`)).toBe('malformed-xml');
    expect(await reasonOf(`<a>${'x'.repeat(3 * 1024 * 1024)}</a>`)).toBe('too-large');
  });

  it('refuses a prototype-polluting element name', async () => {
    expect(await reasonOf('<a><__proto__><polluted>yes</polluted></__proto__></a>')).toBe('malformed-xml');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('converts or refuses any text, never throwing anything else', async () => {
    const tag = fc.constantFrom('a', 'b', 'item', '__proto__', 'x:y', 'constructor');
    const xmlish = fc.letrec<{ node: string }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.string(),
        fc
          .tuple(tag, fc.array(tie('node'), { maxLength: 4 }), fc.boolean())
          .map(([name, children, close]) => `<${name}>${children.join('')}${close ? `</${name}>` : ''}`),
      ),
    })).node;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          xmlish,
          fc.string(),
          fc.uint8Array().map((b) => Buffer.from(b).toString('latin1')),
        ),
        async (text) => {
          try {
            const json = await xmlToJson(Buffer.from(text));
            expect(() => JSON.stringify(json)).not.toThrow();
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
            expect((error as DomainError).code).toBe('mapping-failed');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
