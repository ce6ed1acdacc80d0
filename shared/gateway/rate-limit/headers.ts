/**
 * `RateLimit-Policy` and `RateLimit` fields of draft-ietf-httpapi-ratelimit-headers (-10/-11): each a
 * Structured Fields List (RFC 9651) of Items whose value is the policy name as an sf-string:
 *
 *   RateLimit-Policy: "app";q=100;w=1, "ip";q=1000;w=60
 *   RateLimit: "app";r=37;t=1, "ip";r=998;t=42
 *
 * `q` quota, `w` window (s), `r` available quota, `t` seconds until the window resets. No partition key
 * (`pk`) is sent: it would echo app ids and addresses the caller can derive anyway.
 */
export interface PolicyItem {
  name: string;
  quota: number;
  windowSeconds: number;
}

export interface ServiceLimitItem {
  name: string;
  remaining: number;
  resetSeconds: number;
}

/** RFC 9651 sf-string: printable ASCII, with `"` and `\` escaped. */
export function sfString(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value))
    throw new Error(`not a structured-field string: ${JSON.stringify(value)}`);
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** RFC 9651 sf-integer: at most 15 digits. */
const sfInteger = (n: number) =>
  String(Math.max(-999_999_999_999_999, Math.min(999_999_999_999_999, Math.trunc(n))));

export const policyField = (items: PolicyItem[]) =>
  items.map((p) => `${sfString(p.name)};q=${sfInteger(p.quota)};w=${sfInteger(p.windowSeconds)}`).join(', ');

export const rateLimitField = (items: ServiceLimitItem[]) =>
  items
    .map(
      (s) =>
        `${sfString(s.name)};r=${sfInteger(Math.max(0, s.remaining))};t=${sfInteger(Math.max(0, s.resetSeconds))}`,
    )
    .join(', ');
