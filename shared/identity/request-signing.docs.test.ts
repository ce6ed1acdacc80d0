import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type ProblemError, problemType, toProblem } from '../http/problem.ts';
import { DomainError } from '../kernel/errors.ts';
import {
  canonicalParameters,
  canonicalPath,
  canonicalString,
  computeSignature,
  DEFAULT_WINDOW_SECONDS,
  NONCE_GRACE_SECONDS,
  parseSignatureHeader,
  type SignableRequest,
  signRequest,
  verifySignedRequest,
} from './request-signing.ts';
import { MemoryNonceStore } from './testing/memory-nonce-store.ts';

// docs/request-signing.md is the contract third-party clients are written from: its worked
// examples, its plain-Node client and its error table must agree with the code that verifies.

const DOC_PATH = fileURLToPath(new URL('../../docs/request-signing.md', import.meta.url));
const doc = readFileSync(DOC_PATH, 'utf8');

/** Fenced blocks whose info string is `<lang> <marker>`, by marker. */
function markedBlocks(markdown: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const match of markdown.matchAll(/^```[a-z]* +([a-z0-9:-]+)\n([\s\S]*?)\n```$/gm)) {
    const [, marker, content] = match;
    if (blocks.has(marker!)) throw new Error(`The block ${marker} appears twice in the doc.`);
    blocks.set(marker!, content!);
  }
  return blocks;
}

interface DocRequest {
  method: string;
  path: string;
  query: string;
  contentType?: string;
  body: string;
  clientId: string;
  secret: string;
  timestamp: number;
  nonce: string;
}

interface DocExample {
  id: string;
  request: DocRequest;
  /** The canonical string as shown: each line but the last ends with a visible `\n`. */
  canonicalShown: string;
  bodySha256: string;
  signature: string;
  authorization: string;
}

const blocks = markedBlocks(doc);
const field = (marker: string): string => {
  const content = blocks.get(marker);
  if (content === undefined) throw new Error(`The doc has no block marked ${marker}.`);
  return content;
};
const exampleIds = [...blocks.keys()]
  .map((marker) => /^signing-example:([a-z0-9-]+):request$/.exec(marker)?.[1])
  .filter((id): id is string => id !== undefined);
const examples: DocExample[] = exampleIds.map((id) => ({
  id,
  request: JSON.parse(field(`signing-example:${id}:request`)) as DocRequest,
  canonicalShown: field(`signing-example:${id}:canonical`),
  bodySha256: field(`signing-example:${id}:body-sha256`),
  signature: field(`signing-example:${id}:signature`),
  authorization: field(`signing-example:${id}:authorization`),
}));

/** Reads the canonical string back from its display with visible separators. */
function shownToCanonical(shown: string): string {
  const lines = shown.split('\n');
  return lines
    .map((line, i) => {
      const last = i === lines.length - 1;
      if (last === line.endsWith('\\n'))
        throw new Error(`Line ${i + 1} of a shown canonical string has a misplaced \\n marker: ${line}`);
      return last ? line : line.slice(0, -2);
    })
    .join('\n');
}

const signable = (r: DocRequest): SignableRequest => ({
  method: r.method,
  path: r.path,
  rawQueryString: r.query,
  ...(r.contentType === undefined ? {} : { contentType: r.contentType }),
  body: r.body,
});
const authOf = (r: DocRequest) => ({ clientId: r.clientId, timestamp: r.timestamp, nonce: r.nonce });
const headerValue = (line: string) => {
  expect(line.startsWith('Authorization: ')).toBe(true);
  return line.slice('Authorization: '.length);
};

describe('docs/request-signing.md', () => {
  it('holds at least a GET and a POST example, each with every intermediate value', () => {
    expect(exampleIds).toEqual(expect.arrayContaining(['get', 'post-json']));
    for (const { request } of examples) {
      expect(typeof request.secret).toBe('string');
      expect(Number.isInteger(request.timestamp)).toBe(true);
    }
  });

  describe.each(examples)('example $id, against the gateway code', (example) => {
    const { request } = example;
    const canonical = shownToCanonical(example.canonicalShown);
    const lines = canonical.split('\n');

    it('has the canonical string the code builds, line by line', () => {
      expect(lines).toHaveLength(8);
      expect(canonicalString(signable(request), authOf(request))).toBe(canonical);
      expect(lines[0]).toBe('PORTICO-HMAC-SHA256');
      expect(lines[1]).toBe(request.method.toUpperCase());
      expect(lines[2]).toBe(canonicalPath(request.path));
      expect(lines[3]).toBe(canonicalParameters(signable(request)));
      expect(lines.slice(5)).toEqual([String(request.timestamp), request.nonce, request.clientId]);
    });

    it('has the body hash of the bytes sent', () => {
      const hash = createHash('sha256').update(request.body, 'utf8').digest('hex');
      expect(example.bodySha256).toBe(hash);
      expect(lines[4]).toBe(hash);
    });

    it('keys the HMAC with the UTF-8 bytes of the secret as issued', () => {
      expect(field('signing-example:all:hmac-key')).toBe(Buffer.from(request.secret, 'utf8').toString('hex'));
    });

    it('has the signature and the header the code produces', () => {
      expect(example.signature).toBe(computeSignature(canonical, request.secret));
      const signed = signRequest(signable(request), {
        clientId: request.clientId,
        secret: request.secret,
        timestamp: request.timestamp,
        nonce: request.nonce,
      });
      expect(headerValue(example.authorization)).toBe(signed.authorization);
      expect(parseSignatureHeader(headerValue(example.authorization))).toEqual({
        ...authOf(request),
        signature: example.signature,
      });
    });

    it('is accepted by the verifier at its signing time', async () => {
      const verified = await verifySignedRequest(
        signable(request),
        headerValue(example.authorization),
        {
          secretsFor: async (id) => (id === request.clientId ? [request.secret] : []),
          nonces: new MemoryNonceStore(() => request.timestamp * 1000),
        },
        new Date(request.timestamp * 1000),
      );
      expect(verified).toEqual({ clientId: request.clientId });
    });
  });

  describe('its plain-Node client', () => {
    const snippet = field('signing-client');
    const dir = mkdtempSync(path.join(tmpdir(), 'portico-signing-docs-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('imports nothing but node:crypto', () => {
      const imports = [...snippet.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
      expect(imports).toEqual(['node:crypto']);
      expect(snippet).not.toMatch(/\brequire\(/);
    });

    it('reproduces every example when run by plain Node, outside the project', () => {
      writeFileSync(path.join(dir, 'portico-sign.mjs'), snippet);
      writeFileSync(
        path.join(dir, 'run.mjs'),
        `import { signRequest } from './portico-sign.mjs';
const inputs = JSON.parse(process.argv[2]);
process.stdout.write(JSON.stringify(inputs.map((input) => signRequest(input))));
`,
      );
      const output = execFileSync(
        process.execPath,
        [path.join(dir, 'run.mjs'), JSON.stringify(examples.map((e) => e.request))],
        { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
      );
      const results = JSON.parse(output) as Array<{
        lines: string[];
        canonical: string;
        bodyHash: string;
        signature: string;
        authorization: string;
      }>;
      expect(results).toHaveLength(examples.length);
      results.forEach((result, i) => {
        const example = examples[i]!;
        const canonical = shownToCanonical(example.canonicalShown);
        expect(result.canonical).toBe(canonical);
        expect(result.lines).toEqual(canonical.split('\n'));
        expect(result.bodyHash).toBe(example.bodySha256);
        expect(result.signature).toBe(example.signature);
        expect(result.authorization).toBe(headerValue(example.authorization));
      });
    });
  });

  describe('its error table', () => {
    const base = examples.find((e) => e.id === 'get')!.request;
    const at = (seconds: number) => new Date(seconds * 1000);
    const header = (r: DocRequest, secret = r.secret) =>
      signRequest(signable(r), { ...authOf(r), secret }).authorization;

    async function refusal(
      request: DocRequest,
      authorization: string,
      options: { now?: Date; known?: boolean; nonces?: MemoryNonceStore } = {},
    ): Promise<ProblemError> {
      try {
        await verifySignedRequest(
          signable(request),
          authorization,
          {
            secretsFor: async () => (options.known === false ? [] : [base.secret]),
            nonces: options.nonces ?? new MemoryNonceStore(() => base.timestamp * 1000),
          },
          options.now ?? at(base.timestamp),
        );
      } catch (error) {
        if (error instanceof DomainError) return toProblem(error);
        throw error;
      }
      throw new Error('The request was accepted.');
    }

    const cases: Array<[string, () => Promise<ProblemError>]> = [
      ['a malformed header', () => refusal(base, 'Portico-HMAC-SHA256 key="ak_x", ts="1"')],
      // The request cannot be signed at all; the header of a valid one is enough to get that far.
      ['a malformed escape', () => refusal({ ...base, query: 'a=%zz' }, header(base))],
      ['a stale timestamp', () => refusal(base, header(base), { now: at(base.timestamp + 301) })],
      ['an unknown key', () => refusal(base, header(base), { known: false })],
      ['a wrong secret', () => refusal(base, header(base, 'sk_another-secret'))],
      [
        'a replayed nonce',
        async () => {
          const nonces = new MemoryNonceStore(() => base.timestamp * 1000);
          await nonces.remember(base.clientId, base.nonce, at(base.timestamp + 600));
          return refusal(base, header(base), { nonces });
        },
      ],
    ];

    it.each(cases)('documents the answer to %s', async (_, refuse) => {
      const problem = await refuse();
      expect(problem.status).toBe(401);
      expect(problem.headers['www-authenticate']).toBe('Portico-HMAC-SHA256');
      expect(doc).toContain(`\`type\` \`${problemType(problem.code)}\``);
      const rows = doc.split('\n').filter((line) => line.startsWith(`| \`${problem.extensions.reason}\` |`));
      expect(rows.some((row) => row.endsWith(`| ${problem.detail} |`))).toBe(true);
    });

    it('states the window and how long nonces are remembered', () => {
      expect(doc).toContain(`|now − ts| ≤ ${DEFAULT_WINDOW_SECONDS}`);
      expect(doc).toContain(`\`ts + ${DEFAULT_WINDOW_SECONDS} + ${NONCE_GRACE_SECONDS}\``);
    });
  });
});
