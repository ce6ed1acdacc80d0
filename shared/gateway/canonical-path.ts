/**
 * The one form of a request path (below `/apis/{apiName}`) the gateway works with: route matching,
 * scope checks, mocks, analytics and the forwarded request all use it, so what the gateway decides on
 * is exactly what the upstream receives. Pure: no I/O.
 *
 * - escapes of unreserved characters (RFC 3986 `ALPHA DIGIT - . _ ~`) are decoded, other escapes get
 *   upper-case hex, and characters a URL parser would rewrite (non-ASCII, space, `"<>` …) are escaped
 *   as UTF-8;
 * - refused: malformed escapes; escaped `/` or `\`; control characters, raw or escaped; raw `\`;
 *   `.` and `..` segments, raw or escaped; empty segments (`//`) except one trailing slash; `;`
 *   (path parameters, which servlet containers strip before routing).
 */
export type CanonicalPath = { ok: true; path: string } | { ok: false; reason: string };

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
/** Characters kept as they are: unreserved, and the sub-delimiters and `:@` a path may hold. */
const KEPT = /^[A-Za-z0-9\-._~!$&'()*+,=:@]$/;
const FORBIDDEN_ESCAPES = new Set(['2F', '5C', '7F']);

const refuse = (reason: string): CanonicalPath => ({ ok: false, reason });

function canonicalSegment(segment: string): string | { refused: string } {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]!;
    if (char === '%') {
      const hex = segment.slice(i + 1, i + 3).toUpperCase();
      if (!/^[0-9A-F]{2}$/.test(hex)) return { refused: 'a malformed percent-escape' };
      const code = Number.parseInt(hex, 16);
      if (code < 0x20 || FORBIDDEN_ESCAPES.has(hex))
        return { refused: 'an escaped slash, backslash or control character' };
      const decoded = String.fromCharCode(code);
      out += UNRESERVED.test(decoded) ? decoded : `%${hex}`;
      i += 2;
    } else if (char === '\\') {
      return { refused: 'a backslash' };
    } else if (char === ';') {
      return { refused: 'a semicolon (path parameters are not accepted)' };
    } else if (char.charCodeAt(0) < 0x20 || char === '\x7f') {
      return { refused: 'a control character' };
    } else if (KEPT.test(char)) {
      out += char;
    } else {
      const codePoint = segment.codePointAt(i)!;
      const whole = String.fromCodePoint(codePoint);
      i += whole.length - 1;
      const bytes = Buffer.from(whole, 'utf8');
      if (whole.length === 1 && codePoint >= 0xd800 && codePoint <= 0xdfff)
        return { refused: 'an unpaired surrogate' };
      for (const byte of bytes) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  if (out === '.' || out === '..') return { refused: 'a dot segment' };
  return out;
}

/** `raw` is the path as received (still percent-encoded), empty or starting with `/`. */
export function canonicalPath(raw: string): CanonicalPath {
  if (raw === '' || raw === '/') return { ok: true, path: '/' };
  if (!raw.startsWith('/')) return refuse('The path must start with "/".');
  const segments = raw.slice(1).split('/');
  const trailingSlash = segments.length > 1 && segments.at(-1) === '';
  if (trailingSlash) segments.pop();
  const out: string[] = [];
  for (const segment of segments) {
    if (segment === '') return refuse('The path may not contain empty segments ("//").');
    const canonical = canonicalSegment(segment);
    if (typeof canonical !== 'string') return refuse(`The path may not contain ${canonical.refused}.`);
    out.push(canonical);
  }
  return { ok: true, path: `/${out.join('/')}${trailingSlash ? '/' : ''}` };
}
