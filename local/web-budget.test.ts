import { describe, expect, it } from 'vitest';
import { initialLoadFiles } from './web-budget.ts';

describe('the web app’s first load', () => {
  it('is the page’s scripts, module preloads and styles, not its lazy chunks or other links', () => {
    const html = `<!doctype html><html><head>
<link rel="icon" href="/favicon.svg">
<script type="module" crossorigin src="/assets/index-a.js"></script>
<link rel="modulepreload" crossorigin href="/assets/jsx-runtime-b.js">
<link rel="stylesheet" crossorigin href="/assets/index-c.css">
</head><body><div id="root"></div></body></html>`;
    expect(initialLoadFiles(html)).toEqual([
      '/assets/index-a.js',
      '/assets/jsx-runtime-b.js',
      '/assets/index-c.css',
    ]);
  });
});
