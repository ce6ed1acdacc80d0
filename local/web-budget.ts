import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** The web app's first load may cost at most this much, gzipped: index.html and what it loads. */
export const INITIAL_LOAD_BUDGET_BYTES = 250 * 1024;

/** The files a browser fetches before the app runs: the page, its scripts, module preloads and styles. */
export function initialLoadFiles(indexHtml: string): string[] {
  const refs = [
    ...indexHtml.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g),
    ...indexHtml.matchAll(/<link\b[^>]*\brel="(?:stylesheet|modulepreload)"[^>]*\bhref="([^"]+)"/g),
    ...indexHtml.matchAll(/<link\b[^>]*\bhref="([^"]+)"[^>]*\brel="(?:stylesheet|modulepreload)"/g),
  ].map((m) => m[1]!);
  return [...new Set(refs)].filter((ref) => ref.startsWith('/'));
}

/** Each file of the first load with its gzipped size (level 9, as a CDN compresses), and the total. */
export function initialLoad(distDir: string): {
  files: { file: string; gzipBytes: number }[];
  totalBytes: number;
} {
  const index = readFileSync(path.join(distDir, 'index.html'));
  const files = [
    { file: '/index.html', gzipBytes: gzipSync(index, { level: 9 }).length },
    ...initialLoadFiles(index.toString('utf8')).map((ref) => ({
      file: ref,
      gzipBytes: gzipSync(readFileSync(path.join(distDir, ref)), { level: 9 }).length,
    })),
  ];
  return { files, totalBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0) };
}
