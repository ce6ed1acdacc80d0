import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../console/audit.ts';
import { EgressGuard } from '../egress/guard.ts';
import { parseEgressAllowList } from '../egress/policy.ts';
import { FakeResolver } from '../egress/testing/fake-resolver.ts';
import { FakeCipher } from '../identity/testing/memory-stores.ts';
import { DomainError } from '../kernel/errors.ts';
import { applyStatement } from './notice.ts';
import { NoticeActions } from './notice-actions.ts';
import { PartnerActions, partnerView } from './partner-actions.ts';
import { partnerSecretContext } from './partner-secrets.ts';
import { MemoryNoticeStore, MemoryPartnerStore } from './testing/memory-stores.ts';

const ctx = {
  actor: { subject: 'user_ops', clientId: 'ak_ops', role: 'console:operator' },
  requestId: 'req-1',
  now: new Date('2026-12-03T00:00:00Z'),
};
const SECRET = 'a-shared-secret-of-at-least-32-chars!';

function setup() {
  const partners = new MemoryPartnerStore();
  const notices = new MemoryNoticeStore();
  const cipher = new FakeCipher();
  const audit: AuditEntry[] = [];
  const store = { appendAudit: async (entry: AuditEntry) => void audit.push(entry) };
  const egress = new EgressGuard(
    parseEgressAllowList(''),
    new FakeResolver({ 'partner.example': ['93.184.215.14'], 'inside.example': ['10.1.2.3'] }),
  );
  return {
    partners,
    notices,
    cipher,
    audit,
    actions: new PartnerActions({ partners, cipher, egress, store }),
    noticeActions: new NoticeActions({ partners, notices, store }),
  };
}

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error) => (error instanceof DomainError ? error.code : Promise.reject(error)),
  );

describe('PartnerActions', () => {
  it('creates with an encrypted secret that is never shown, and keeps it across an update without one', async () => {
    const t = setup();
    const { partner } = await t.actions.put(
      ctx,
      'gddianxin',
      { name: 'GD Telecom', sharedSecret: SECRET },
      undefined,
    );
    expect(await t.cipher.decrypt(partner.sharedSecretCiphertext!, partnerSecretContext('gddianxin'))).toBe(
      SECRET,
    );
    const view = partnerView(partner);
    expect(JSON.stringify(view)).not.toContain(partner.sharedSecretCiphertext!);
    expect(view).toMatchObject({ hasSharedSecret: true, revision: 1 });
    const updated = await t.actions.put(ctx, 'gddianxin', { name: 'Guangdong Telecom' }, '"1"');
    expect(updated.partner.sharedSecretCiphertext).toBe(partner.sharedSecretCiphertext);
    expect(t.audit.map((a) => a.action)).toEqual(['partner.create', 'partner.update']);
    expect(JSON.stringify(t.audit)).not.toContain(SECRET);
  });

  it.each([
    ['no secret for a new partner', { name: 'x' }, 'validation-failed'],
    [
      'a notice endpoint inside the network',
      {
        name: 'x',
        sharedSecret: SECRET,
        notices: { url: 'https://inside.example/n', ourId: 'p', pollIntervalSeconds: 60 },
      },
      'validation-failed',
    ],
    [
      'a probe at the metadata address',
      { name: 'x', sharedSecret: SECRET, probe: { url: 'https://169.254.169.254/' } },
      'validation-failed',
    ],
    ['another id in the body', { partnerId: 'other', name: 'x', sharedSecret: SECRET }, 'validation-failed'],
    ['a body that is not an object', 'text', 'validation-failed'],
  ])('refuses %s and stores nothing', async (_name, body, expected) => {
    const t = setup();
    expect(await code(t.actions.put(ctx, 'p1', body, undefined))).toBe(expected);
    expect(await t.partners.list()).toEqual([]);
    expect(t.audit).toEqual([]);
  });

  it('refuses a stale revision', async () => {
    const t = setup();
    await t.actions.put(ctx, 'p1', { name: 'x', sharedSecret: SECRET }, undefined);
    await t.actions.put(ctx, 'p1', { name: 'y' }, '"1"');
    expect(await code(t.actions.put(ctx, 'p1', { name: 'z' }, '"1"'))).toBe('conflict');
    expect((await t.partners.get('p1'))?.name).toBe('y');
  });
});

describe('NoticeActions', () => {
  const body = { content: '例行维护', begin: '2026-12-03T01:00:00Z', end: '2026-12-03T05:00:00Z' };

  it('creates, changes over the change count, and deletes admin notices, auditing each', async () => {
    const t = setup();
    await t.actions.put(ctx, 'p1', { name: 'x', sharedSecret: SECRET }, undefined);
    const created = await t.noticeActions.create(ctx, 'p1', body);
    expect(created).toMatchObject({
      source: 'admin',
      status: 'effective',
      operatorId: 'user_ops',
      changeCount: 0,
    });
    const changed = await t.noticeActions.update(
      ctx,
      'p1',
      created.noticeId,
      { ...body, content: '延长维护' },
      '"0"',
    );
    expect(changed.changeCount).toBe(1);
    expect(await code(t.noticeActions.update(ctx, 'p1', created.noticeId, body, '"0"'))).toBe('conflict');
    const deleted = await t.noticeActions.delete(ctx, 'p1', 'admin', created.noticeId, undefined);
    expect(deleted).toMatchObject({ status: 'invalid', clearedBy: 'user_ops', changeCount: 2 });
    expect(t.audit.map((a) => a.action)).toEqual([
      'partner.create',
      'notice.create',
      'notice.update',
      'notice.delete',
    ]);
  });

  it("deletes a partner's own notice, which stays deleted while the partner repeats it", async () => {
    const t = setup();
    await t.actions.put(ctx, 'p1', { name: 'x', sharedSecret: SECRET }, undefined);
    const statement = { noticeId: 'UC-1', content: 'down', begin: 0, end: 10, effective: true };
    const writer = { partnerId: 'p1', source: 'partner' as const, operatorId: 'partner:p1', now: 0 };
    await t.notices.save(applyStatement(undefined, statement, writer)!, undefined);
    await t.noticeActions.delete(ctx, 'p1', 'partner', 'UC-1', undefined);
    const stored = await t.notices.get('p1', 'partner', 'UC-1');
    expect(applyStatement(stored, statement, writer)).toBeUndefined();
  });

  it.each([
    ['begin after end', { ...body, begin: '2026-12-04T00:00:00Z' }],
    ['a time without a zone', { ...body, begin: '2026-12-03 01:00:00' }],
    ['an unknown field', { ...body, owner: 'x' }],
  ])('refuses %s and stores nothing', async (_name, bad) => {
    const t = setup();
    await t.actions.put(ctx, 'p1', { name: 'x', sharedSecret: SECRET }, undefined);
    expect(await code(t.noticeActions.create(ctx, 'p1', bad))).toBe('validation-failed');
    expect(t.notices.notices.size).toBe(0);
  });

  it('answers 404 for an unknown partner, source or notice', async () => {
    const t = setup();
    expect(await code(t.noticeActions.create(ctx, 'nobody', body))).toBe('not-found');
    await t.actions.put(ctx, 'p1', { name: 'x', sharedSecret: SECRET }, undefined);
    expect(await code(t.noticeActions.get('p1', 'other', 'x'))).toBe('not-found');
    expect(await code(t.noticeActions.get('p1', 'admin', '../x'))).toBe('not-found');
    expect(await code(t.noticeActions.delete(ctx, 'p1', 'admin', 'missing', undefined))).toBe('not-found');
  });
});
