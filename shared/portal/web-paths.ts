/**
 * The paths the HTTP API answers on the web app's origin; every other path is the web app (its files,
 * else its index.html, which routes in the browser). CloudFront gets one behaviour per pattern and the
 * local runtime checks the same list, so the two cannot disagree.
 */
export const API_PATH_PATTERNS = [
  '/oauth2/*',
  '/.well-known/*',
  '/openapi.json',
  '/apis/*',
  '/v1/*',
  '/internal/*',
  '/partners/*',
  '/console/v1/*',
  '/health/*',
] as const;

/** Whether a request path (no query) belongs to the API rather than the web app. */
export function isApiPath(path: string): boolean {
  return API_PATH_PATTERNS.some((pattern) =>
    pattern.endsWith('/*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern,
  );
}
