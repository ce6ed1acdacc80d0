/**
 * `npm run partner:push -- --partner <id> --secret <shared secret> --id <notice id> --content <text>
 * --begin now --end +2h [--cancel] [--aes-key <base64>] [--url <base>]`: (times: `now`, `+<n>h`, `-<n>h`,
 * or as the seed writes them, `2026-12-3 00:00:00`, UTC):
 * pushes one notice as a partner would (seed 003 §6.3): the body's parameters sorted by key, joined as
 * k=v with &, HMAC-SHA256 with the shared secret in `sign`, a fresh timestamp and nonce; with an AES key
 * the notice list travels sealed in `encrypted`. Prints what was sent and what Portico answered.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../infra/repo-root.ts';
import { encryptBody, parseAesKey, withSignature } from '../shared/partners/partner-signature.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    partner: { type: 'string' },
    secret: { type: 'string' },
    id: { type: 'string' },
    content: { type: 'string', default: '' },
    begin: { type: 'string' },
    end: { type: 'string' },
    cancel: { type: 'boolean', default: false },
    'aes-key': { type: 'string' },
  },
});

const localBaseUrl = () => {
  try {
    return JSON.parse(readFileSync(path.join(REPO_ROOT, '.portico', 'local.json'), 'utf8')).baseUrl as string;
  } catch {
    return 'http://127.0.0.1:3000';
  }
};
for (const name of ['partner', 'secret', 'id', 'begin', 'end'] as const) {
  if (!values[name]) {
    console.error(`--${name} is required (see the comment at the top of scripts/partner-push.ts)`);
    process.exit(2);
  }
}
/** `now` and `±<n>h` as the seed protocol writes times (UTC, the default mapping); anything else as given. */
function seedTime(text: string): string {
  const relative = /^(now|([+-]\d{1,5})h)$/.exec(text);
  if (!relative) return text;
  const at = new Date(Date.now() + Number(relative[2] ?? 0) * 3_600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getUTCFullYear()}-${at.getUTCMonth() + 1}-${at.getUTCDate()} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
}
const upgradeInfo = [
  {
    id: values.id,
    content: values.content,
    begin: seedTime(values.begin!),
    end: seedTime(values.end!),
    effective: !values.cancel,
  },
];
let params: Record<string, unknown> = { partnerId: values.partner, upgradeInfo };
if (values['aes-key']) {
  const key = parseAesKey(values['aes-key']);
  if (!key) {
    console.error('--aes-key must be the base64 of 32 bytes');
    process.exit(2);
  }
  params = { partnerId: values.partner, encrypted: encryptBody(JSON.stringify({ upgradeInfo }), key) };
}
const body = withSignature(params, values.secret!, Date.now());
const url = `${values.url ?? localBaseUrl()}/partners/v1/notices`;
console.log(`POST ${url}\n${JSON.stringify(body, null, 2)}`);
const response = await fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
console.log(`\n${response.status} ${await response.text()}`);
process.exit(response.ok ? 0 : 1);
