import { describe, expect, it } from 'vitest';
import { type Block, parseInline, parseMarkdown, plainText } from './markdown.ts';

const contentOf = (block: Block | undefined) => (block?.kind === 'paragraph' ? block.content : []);
const itemsOf = (block: Block | undefined) => (block?.kind === 'list' ? block.items : []);

describe('inline Markdown', () => {
  it('reads code spans, strong, emphasis and links', () => {
    expect(
      parseInline('**Deprecated** since `2025-01-01`: see [the notes](https://example.com/n) *now*'),
    ).toEqual([
      { kind: 'strong', children: [{ kind: 'text', text: 'Deprecated' }] },
      { kind: 'text', text: ' since ' },
      { kind: 'code', text: '2025-01-01' },
      { kind: 'text', text: ': see ' },
      { kind: 'link', href: 'https://example.com/n', children: [{ kind: 'text', text: 'the notes' }] },
      { kind: 'text', text: ' ' },
      { kind: 'emphasis', children: [{ kind: 'text', text: 'now' }] },
    ]);
  });

  it('keeps unsafe links as text and leaves lone asterisks alone', () => {
    expect(parseInline('[click](javascript:alert(1))')).toEqual([
      { kind: 'text', text: 'click' },
      { kind: 'text', text: ')' },
    ]);
    expect(parseInline('2 * 3 = 6')).toEqual([{ kind: 'text', text: '2 * 3 = 6' }]);
  });
});

describe('block Markdown', () => {
  it('splits paragraphs, lists, headings and fenced code', () => {
    const blocks = parseMarkdown(
      'The orders API.\nSecond line.\n\nRate limits:\n\n- 100 calls\n  per minute\n- 5 per second\n\n1. one\n2. two\n\n## Notes\n```\ncurl x\n```',
    );
    expect(blocks.map((block) => block.kind)).toEqual([
      'paragraph',
      'paragraph',
      'list',
      'list',
      'heading',
      'code',
    ]);
    expect(plainText(contentOf(blocks[0]))).toBe('The orders API. Second line.');
    expect(blocks[2]).toMatchObject({ ordered: false });
    expect(itemsOf(blocks[2]).map(plainText)).toEqual(['100 calls per minute', '5 per second']);
    expect(blocks[3]).toMatchObject({ ordered: true });
    expect(blocks[5]).toEqual({ kind: 'code', text: 'curl x' });
  });

  it('starts a list right after a paragraph line', () => {
    expect(parseMarkdown('Limits:\n- a\n- b').map((block) => block.kind)).toEqual(['paragraph', 'list']);
  });
});
