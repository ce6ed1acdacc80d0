import { auditEntry } from '../console/audit.ts';
import type { ActionContext } from '../console/console-actions.ts';
import type { ConsoleStore } from '../console/ports.ts';
import type { EgressGuard } from '../egress/guard.ts';
import { checkOutboundUrl } from '../egress/outbound-url.ts';
import type { SecretCipher } from '../identity/ports.ts';
import { DomainError } from '../kernel/errors.ts';
import { parseIfMatch, RevisionConflictError } from '../kernel/revision.ts';
import { PARTNER_ID, readPartner } from './partner.ts';
import { partnerAesKeyContext, partnerSecretContext } from './partner-secrets.ts';
import type { PartnerStore, StoredPartner } from './ports.ts';

const partnerIdPattern = new RegExp(PARTNER_ID);

/** What the console shows of a partner: never a secret nor its ciphertext. */
export function partnerView(partner: StoredPartner) {
  const { sharedSecretCiphertext, aesKeyCiphertext, ...view } = partner;
  return {
    ...view,
    hasSharedSecret: sharedSecretCiphertext !== undefined,
    createdAt: new Date(partner.createdAt).toISOString(),
    updatedAt: new Date(partner.updatedAt).toISOString(),
  };
}

/**
 * The console's partners: definitions validated on write (their URLs are egress decisions), secrets
 * encrypted at once and never shown again, revisions against lost updates, every change audited.
 */
export class PartnerActions {
  constructor(
    private readonly deps: {
      partners: PartnerStore;
      cipher: SecretCipher;
      egress: EgressGuard;
      store: Pick<ConsoleStore, 'appendAudit'>;
    },
  ) {}

  list(): Promise<StoredPartner[]> {
    return this.deps.partners.list();
  }

  async get(partnerId: string): Promise<StoredPartner> {
    const partner = partnerIdPattern.test(partnerId) ? await this.deps.partners.get(partnerId) : undefined;
    if (!partner) throw new DomainError('not-found', `No partner has the id "${partnerId.slice(0, 64)}".`);
    return partner;
  }

  /**
   * PUT semantics: the body is the whole partner, except that a secret left out keeps the stored one
   * (secrets are write-only). `If-Match: "<revision>"` makes the write conditional.
   */
  async put(ctx: ActionContext, partnerId: string, body: unknown, ifMatch: string | undefined) {
    const raw = (body ?? {}) as Record<string, unknown>;
    if (typeof raw === 'object' && raw.partnerId !== undefined && raw.partnerId !== partnerId) {
      throw new DomainError('validation-failed', 'partnerId in the body differs from the path.', {
        errors: [{ pointer: '/partnerId', message: 'must equal the id in the path' }],
      });
    }
    const before = partnerIdPattern.test(partnerId) ? await this.deps.partners.get(partnerId) : undefined;
    const { partner, input } = readPartner(
      typeof raw === 'object' && !Array.isArray(raw) ? { ...raw, partnerId } : raw,
      before?.aesKeyCiphertext !== undefined,
    );
    if (partner.notices) await checkOutboundUrl(this.deps.egress, partner.notices.url, '/notices/url');
    if (partner.probe) await checkOutboundUrl(this.deps.egress, partner.probe.url, '/probe/url');
    if (!before && input.sharedSecret === undefined) {
      throw new DomainError('validation-failed', 'sharedSecret is required for a new partner.', {
        errors: [{ pointer: '/sharedSecret', message: 'is required' }],
      });
    }
    const sharedSecretCiphertext =
      input.sharedSecret !== undefined
        ? await this.deps.cipher.encrypt(input.sharedSecret, partnerSecretContext(partnerId))
        : before?.sharedSecretCiphertext;
    const aesKeyCiphertext =
      input.aesKey === null
        ? undefined
        : input.aesKey !== undefined
          ? await this.deps.cipher.encrypt(input.aesKey, partnerAesKeyContext(partnerId))
          : before?.aesKeyCiphertext;
    const now = ctx.now.getTime();
    const next: Omit<StoredPartner, 'revision'> = {
      ...partner,
      createdAt: before?.createdAt ?? now,
      updatedAt: now,
      ...(sharedSecretCiphertext !== undefined ? { sharedSecretCiphertext } : {}),
      ...(aesKeyCiphertext !== undefined ? { aesKeyCiphertext } : {}),
    };
    const expected = parseIfMatch(ifMatch);
    let stored: StoredPartner;
    try {
      stored = await this.deps.partners.put(next, expected ?? before?.revision ?? 0);
    } catch (error) {
      if (error instanceof RevisionConflictError) {
        throw new DomainError(
          'conflict',
          `The partner changed since revision ${expected ?? 'read'}: ${error.message}.`,
        );
      }
      throw error;
    }
    await this.audit(ctx, before ? 'partner.update' : 'partner.create', partnerId, {
      ...(before ? { before: partnerView(before) } : {}),
      after: partnerView(stored),
      ...(input.sharedSecret !== undefined ? { secretChanged: true } : {}),
    });
    return { created: !before, partner: stored };
  }

  async delete(ctx: ActionContext, partnerId: string): Promise<void> {
    const before = await this.get(partnerId);
    await this.deps.partners.delete(partnerId);
    await this.audit(ctx, 'partner.delete', partnerId, { before: partnerView(before) });
  }

  private audit(ctx: ActionContext, action: string, partnerId: string, change: Record<string, unknown>) {
    return this.deps.store.appendAudit(
      auditEntry(ctx.actor, action, { type: 'partner', id: partnerId }, change, ctx.now, ctx.requestId),
    );
  }
}
