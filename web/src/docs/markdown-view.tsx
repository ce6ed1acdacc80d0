import { Children, type ReactNode } from 'react';
import type { Block, Inline } from './markdown.ts';

/** Parsed Markdown never reorders: Children.toArray keys each node by its position. */
const inline = (content: Inline[]): ReactNode[] => Children.toArray(content.map(renderInline));

function renderInline(node: Inline): ReactNode {
  switch (node.kind) {
    case 'text':
      return node.text;
    case 'code':
      return <code>{node.text}</code>;
    case 'strong':
      return <strong>{inline(node.children)}</strong>;
    case 'emphasis':
      return <em>{inline(node.children)}</em>;
    case 'link':
      return (
        <a href={node.href} {...(/^https?:/i.test(node.href) ? { rel: 'noreferrer' } : {})}>
          {inline(node.children)}
        </a>
      );
  }
}

function renderBlock(block: Block): ReactNode {
  switch (block.kind) {
    case 'paragraph':
      return <p>{inline(block.content)}</p>;
    case 'heading':
      return (
        <p className="markdown-heading">
          <strong>{inline(block.content)}</strong>
        </p>
      );
    case 'code':
      return (
        <pre>
          <code>{block.text}</code>
        </pre>
      );
    case 'list': {
      const items = Children.toArray(
        // biome-ignore lint/correctness/useJsxKeyInIterable: Children.toArray keys the items by position.
        block.items.map((item) => <li>{inline(item)}</li>),
      );
      return block.ordered ? <ol>{items}</ol> : <ul>{items}</ul>;
    }
  }
}

/** Parsed Markdown as elements: text stays text, whatever it contains. */
export function MarkdownView({ blocks }: { blocks: Block[] }) {
  return <div className="markdown">{Children.toArray(blocks.map(renderBlock))}</div>;
}
