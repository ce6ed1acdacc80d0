import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { htmlPage, PAGE_TOKENS } from './html-page.ts';

describe('server-rendered pages', () => {
  it('use the web app’s colours, as web/src/styles.css defines them', () => {
    const css = readFileSync(new URL('../../web/src/styles.css', import.meta.url), 'utf8');
    for (const [name, value] of Object.entries(PAGE_TOKENS))
      expect(css, name).toContain(`${name}: ${value};`);
  });

  it('escape the title and keep one main landmark', () => {
    const page = htmlPage('<script>', '<h1>x</h1>');
    expect(page).toContain('<title>&lt;script&gt; · Portico</title>');
    expect(page.match(/<main>/g)).toHaveLength(1);
  });
});
