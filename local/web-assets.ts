import { readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { isApiPath } from '../shared/portal/web-paths.ts';
import { WEB_SECURITY_HEADERS } from '../shared/portal/web-security-headers.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

function readFile(file: string): Buffer | undefined {
  try {
    return statSync(file).isFile() ? readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Serves the built web app for every GET or HEAD that is not an API path: a file of `distDir` when
 * there is one, else `index.html` for the app's own routes (a missing asset is a 404). Hashed assets
 * are cached for good, the page never. Answers whether it handled the request.
 */
export function webAssets(distDir: string) {
  const root = path.resolve(distDir);
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const rawPath = (req.url ?? '/').split('?')[0]!;
    if (isApiPath(rawPath)) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(rawPath);
    } catch {
      decoded = '';
    }
    const file = path.resolve(root, `.${path.posix.normalize(decoded)}`);
    const inside = decoded.length > 0 && !decoded.includes('\0') && file.startsWith(`${root}${path.sep}`);
    const asset = inside ? readFile(file) : undefined;
    const wantsAsset = path.extname(rawPath) !== '';
    const body = asset ?? (wantsAsset ? undefined : readFile(path.join(root, 'index.html')));
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...WEB_SECURITY_HEADERS });
      res.end(req.method === 'HEAD' ? undefined : 'Not found');
      return true;
    }
    const type = asset
      ? (CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream')
      : CONTENT_TYPES['.html']!;
    const immutable = asset && rawPath.startsWith('/assets/');
    res.writeHead(200, {
      'content-type': type,
      'content-length': String(body.length),
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...WEB_SECURITY_HEADERS,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
