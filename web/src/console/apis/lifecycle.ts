import type { LifecycleStatus } from '../api/apis.ts';

/** The moves the platform allows (shared/gateway/lifecycle.ts); `retired` is final. */
const NEXT: Record<LifecycleStatus, readonly LifecycleStatus[]> = {
  draft: ['draft', 'published', 'retired'],
  published: ['published', 'deprecated', 'retired'],
  deprecated: ['deprecated', 'published', 'retired'],
  retired: ['retired'],
};

/** The states an API may be given: a new one starts as a draft or published. */
export function lifecycleChoices(
  stored: LifecycleStatus | undefined,
  isNew: boolean,
): readonly LifecycleStatus[] {
  if (isNew) return ['draft', 'published'];
  return NEXT[stored ?? 'published'];
}

export const LIFECYCLE_LABELS: Record<LifecycleStatus, string> = {
  draft: 'Draft (not served)',
  published: 'Published',
  deprecated: 'Deprecated (served with a sunset date)',
  retired: 'Retired (answers 410)',
};
