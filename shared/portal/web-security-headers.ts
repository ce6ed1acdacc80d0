/**
 * The web app's security headers: CloudFront's response-headers policy sets them in AWS
 * (infra/capabilities/web-hosting.ts), the local runtime on every file it serves (local/web-assets.ts).
 * The app loads nothing but its own files and calls nothing but its own origin.
 */
export const WEB_SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
} as const;
