/**
 * Where try-it sends an API's calls. The page may connect to its own origin only (its CSP says
 * `connect-src 'self'`), and the platform answers the gateway's `/apis/*` paths on the web app's origin
 * too: a document whose server is another origin is called through the same path on this one.
 */
export function sandboxBaseUrl(serverUrl: string | undefined, origin: string): string {
  if (!serverUrl) return origin;
  let url: URL;
  try {
    url = new URL(serverUrl, origin);
  } catch {
    return origin;
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${origin}${path}`;
}
