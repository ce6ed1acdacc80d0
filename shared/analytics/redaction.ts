/**
 * What a request log may keep of a call: secrets are replaced by `[REDACTED]` before anything is
 * written. A name is secret when it says so (authorization, cookies, tokens, secrets, passwords,
 * signatures, API keys, sessions, credentials); a value is secret when it looks like a credential
 * (a bearer or basic header value, a JWT, a private key, a Portico secret), whatever its name. An API adds its own
 * JSON paths (`$.card.number`, `$.items[*].pan`) for fields only it knows are sensitive.
 */

export const REDACTED = '[REDACTED]';

const SECRET_NAME =
  /(authori[sz]ation|cookie|token|secret|passw(or)?d|pass(phrase)?$|signature|api[-_]?key|session|credential|private[-_]?key|^pin$|^cvv|^otp$)/i;
const SECRET_VALUE = [
  /\b(bearer|basic|digest|hmac-sha256)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  // Portico's own secrets: app and provider key secrets (`sk_`), webhook signing secrets (`whsec_`).
  /\b(sk|whsec)_[A-Za-z0-9_-]{20,}/g,
];

/** A JSON path an API may name for redaction: `$` then `.name`, `[n]` or `[*]` steps. */
export const REDACT_PATH_PATTERN = '^\\$(\\.[A-Za-z0-9_$-]+|\\[\\*\\]|\\[[0-9]{1,4}\\])+$';

export const isSecretName = (name: string): boolean => SECRET_NAME.test(name);

/** `text` with every credential-looking value replaced. */
export function redactValues(text: string): string {
  let out = text;
  for (const pattern of SECRET_VALUE) out = out.replace(pattern, REDACTED);
  return out;
}

/** Header names lowercased; secret ones, and credential-looking values, redacted. */
export function redactHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    out[lower] = isSecretName(lower) ? REDACTED : redactValues(value);
  }
  return out;
}

/** A query string (or a form body) with secret parameters' values redacted; order and encoding kept. */
export function redactQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .map((pair) => {
      const at = pair.indexOf('=');
      const rawName = at < 0 ? pair : pair.slice(0, at);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // Not percent-encoded properly: judge it as written.
      }
      if (at >= 0 && isSecretName(name)) return `${rawName}=${encodeURIComponent(REDACTED)}`;
      return redactValues(pair);
    })
    .join('&');
}

type Step = { key: string } | { index: number } | { every: true };

function parsePath(path: string): Step[] {
  const steps: Step[] = [];
  for (const match of path.slice(1).matchAll(/\.([^.[]+)|\[(\*|\d+)\]/g)) {
    if (match[1] !== undefined) steps.push({ key: match[1] });
    else if (match[2] === '*') steps.push({ every: true });
    else steps.push({ index: Number(match[2]) });
  }
  return steps;
}

function redactAt(value: unknown, steps: readonly Step[]): unknown {
  if (steps.length === 0) return REDACTED;
  const [step, ...rest] = steps as [Step, ...Step[]];
  if (Array.isArray(value)) {
    if ('every' in step) return value.map((item) => redactAt(item, rest));
    if ('index' in step && step.index < value.length)
      return value.map((item, i) => (i === step.index ? redactAt(item, rest) : item));
    return value;
  }
  if (value !== null && typeof value === 'object' && 'key' in step && Object.hasOwn(value, step.key))
    return {
      ...(value as Record<string, unknown>),
      [step.key]: redactAt((value as Record<string, unknown>)[step.key], rest),
    };
  return value;
}

function redactNames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactNames);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        isSecretName(k) ? REDACTED : redactNames(v),
      ]),
    );
  return typeof value === 'string' ? redactValues(value) : value;
}

export interface BodyPolicy {
  /** Bytes of the redacted body kept; 0 keeps none. */
  maxBytes: number;
  /** The API's own JSON paths to redact. */
  paths?: readonly string[];
}

export interface RedactedBody {
  body?: string;
  /** The redacted body was longer than `maxBytes` and was cut. */
  truncated?: true;
}

/**
 * A body as a log may keep it: JSON with secret names, credential-looking values and the API's paths
 * redacted; a form with secret fields redacted; other text with credential-looking values redacted; a
 * binary body only as its length. Cut to `maxBytes` after redaction, so a cut never reveals a secret.
 */
export function redactBody(raw: Buffer, contentType: string | undefined, policy: BodyPolicy): RedactedBody {
  if (policy.maxBytes <= 0 || raw.length === 0) return {};
  const type = (contentType ?? '').toLowerCase();
  let text: string;
  if (type.includes('json') || (!type && /^\s*[[{]/.test(raw.subarray(0, 64).toString('latin1')))) {
    const decoded = raw.toString('utf8');
    try {
      let value = redactNames(JSON.parse(decoded));
      for (const path of policy.paths ?? []) value = redactAt(value, parsePath(path));
      text = JSON.stringify(value);
    } catch {
      text = redactValues(decoded);
    }
  } else if (type.includes('x-www-form-urlencoded')) {
    text = redactQuery(raw.toString('utf8'));
  } else if (!type || type.startsWith('text/') || type.includes('xml') || type.includes('javascript')) {
    text = redactValues(raw.toString('utf8'));
    if (text.includes('\uFFFD')) return { body: `[binary ${raw.length} bytes]` };
  } else {
    return { body: `[binary ${raw.length} bytes]` };
  }
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= policy.maxBytes) return { body: text };
  // Cut on a character boundary: a partial UTF-8 sequence at the end is dropped.
  return {
    body: bytes
      .subarray(0, policy.maxBytes)
      .toString('utf8')
      .replace(/\uFFFD$/, ''),
    truncated: true,
  };
}
