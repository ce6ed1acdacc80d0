import type { Notice } from '../notice.ts';
import { DEFAULT_HEALTH_POLICY } from '../partner.ts';
import type { StoredPartner } from '../ports.ts';

export const aPartner = (
  partnerId: string,
  over: Partial<StoredPartner> = {},
): Omit<StoredPartner, 'revision'> => ({
  partnerId,
  name: `Partner ${partnerId}`,
  partnerNoticesOn: true,
  policy: DEFAULT_HEALTH_POLICY,
  defaultHealthy: true,
  rank: 100,
  encrypted: false,
  createdAt: 1,
  updatedAt: 1,
  sharedSecretCiphertext: 'c2VjcmV0',
  ...over,
});

export const aNotice = (partnerId: string, noticeId: string, over: Partial<Notice> = {}): Notice => ({
  partnerId,
  noticeId,
  source: 'partner',
  content: '系统升级',
  begin: 1_000,
  end: 2_000,
  status: 'effective',
  createdAt: 500,
  updatedAt: 500,
  operatorId: `partner:${partnerId}`,
  changeCount: 0,
  ...over,
});
