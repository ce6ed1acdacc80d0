import type { SecretCipher } from '../identity/ports.ts';
import { DomainError } from '../kernel/errors.ts';
import type { NoticeStatement } from './notice.ts';
import { DEFAULT_NOTICE_MAPPING, readStatement } from './notice-answer.ts';
import { PARTNER_ID } from './partner.ts';
import { partnerKeys } from './partner-secrets.ts';
import { DEFAULT_TOLERANCE_SECONDS, decryptBody, verifySignedParams } from './partner-signature.ts';
import type { NoticeStore, OnceStore, PartnerStore } from './ports.ts';
import { type RecordedStatements, recordStatements } from './record-statements.ts';

export interface PushDeps {
  partners: Pick<PartnerStore, 'get'>;
  notices: NoticeStore;
  once: OnceStore;
  cipher: SecretCipher;
}

const MAX_NOTICES = 100;
const partnerIdPattern = new RegExp(PARTNER_ID);

/** Every refusal of the signature says the same: which check failed helps only a forger. */
const unauthenticated = () =>
  new DomainError('unauthorized', 'The push is not signed by a known partner with a current timestamp.');

/**
 * A partner's push of its notices (seed 003 §6.3): the body's top-level fields are the signed
 * parameters (`partnerId`, `timestamp`, `nonce`, and the notice list or, for a partner with an AES key,
 * `encrypted`: the list's JSON sealed with AES-256-GCM). Everything is checked before anything is
 * written: the signature, the clock, the seal, every notice; the nonce is then claimed, once.
 */
export async function receivePush(deps: PushDeps, body: unknown, now: number): Promise<RecordedStatements> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new DomainError('malformed-body', 'The push is a JSON object of signed parameters.');
  }
  const params = body as Record<string, unknown>;
  const { partnerId } = params;
  if (typeof partnerId !== 'string' || !partnerIdPattern.test(partnerId)) throw unauthenticated();
  const partner = await deps.partners.get(partnerId);
  if (!partner) throw unauthenticated();
  const keys = await partnerKeys(deps.cipher, partner);
  if (!keys.sharedSecret) throw unauthenticated();
  const verdict = verifySignedParams(params, [keys.sharedSecret], now);
  if (!verdict.ok) throw unauthenticated();

  const mapping = partner.notices?.mapping ?? DEFAULT_NOTICE_MAPPING;
  const statements = readPushedNotices(params, mapping, keys.aesKey);
  const fresh = await deps.once.claim(
    `push:${partnerId}:${verdict.nonce}`,
    now + 2 * DEFAULT_TOLERANCE_SECONDS * 1000,
  );
  if (!fresh)
    throw new DomainError('conflict', 'This nonce was used already: sign every push with a new one.');
  return recordStatements(deps.notices, statements, {
    partnerId,
    source: 'partner',
    operatorId: `partner:${partnerId}`,
    now,
  });
}

function readPushedNotices(
  params: Record<string, unknown>,
  mapping: typeof DEFAULT_NOTICE_MAPPING,
  aesKey: Buffer | undefined,
): NoticeStatement[] {
  let container: Record<string, unknown> = params;
  if (aesKey) {
    if (typeof params.encrypted !== 'string') {
      throw new DomainError(
        'bad-request',
        'This partner pushes encrypted notices: send them in `encrypted`.',
      );
    }
    const plaintext = decryptBody(params.encrypted, aesKey);
    if (plaintext === undefined)
      throw new DomainError('bad-request', '`encrypted` does not open with the partner key.');
    try {
      container = JSON.parse(plaintext) as Record<string, unknown>;
    } catch {
      throw new DomainError('malformed-body', 'The decrypted notices are not JSON.');
    }
  } else if (params.encrypted !== undefined) {
    throw new DomainError(
      'bad-request',
      'No AES key is configured for this partner: send the notices in clear.',
    );
  }
  const list = container?.[mapping.list];
  if (!Array.isArray(list)) {
    throw new DomainError('validation-failed', `${mapping.list} must be a list of notices.`, {
      errors: [{ pointer: `/${mapping.list}`, message: 'must be a list' }],
    });
  }
  if (list.length > MAX_NOTICES) {
    throw new DomainError('payload-too-large', `A push carries at most ${MAX_NOTICES} notices.`);
  }
  const statements = list.map((item, index) => readStatement(item, mapping, `/${mapping.list}/${index}`));
  const ids = new Set(statements.map((s) => s.noticeId));
  if (ids.size !== statements.length) {
    throw new DomainError('validation-failed', 'Each notice id may appear once in a push.');
  }
  return statements;
}
