import { DomainError } from '../kernel/errors.ts';

/**
 * An API's lifecycle: draft → published → deprecated (with a sunset date) → retired. A draft is not
 * served (callers get the same 404 as for an API that does not exist); a deprecated API is served with
 * `Deprecation` (RFC 9745) and `Sunset` (RFC 8594) headers on every answer; a retired one answers 410.
 * The instants of deprecation and retirement are the platform's, stamped when the state is entered.
 */
export const LIFECYCLE_STATES = ['draft', 'published', 'deprecated', 'retired'] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

export interface ApiLifecycle {
  status: LifecycleState;
  /** When the API was deprecated (stamped by the platform). */
  deprecatedAt?: string;
  /** When it stops being served: announced in `Sunset` while deprecated. */
  sunsetAt?: string;
  /** When it was retired (stamped by the platform). */
  retiredAt?: string;
  /** Where callers read about the deprecation and what replaces the API. */
  link?: string;
}

/** What each state may move to; `retired` is final. */
const NEXT: Record<LifecycleState, readonly LifecycleState[]> = {
  draft: ['draft', 'published', 'retired'],
  published: ['published', 'deprecated', 'retired'],
  deprecated: ['deprecated', 'published', 'retired'],
  retired: ['retired'],
};

const invalid = (pointer: string, message: string) =>
  new DomainError('validation-failed', `${pointer} ${message}`, { errors: [{ pointer, message }] });

/**
 * The lifecycle to store when `asked` replaces `before` (undefined: the API is new, or had none and so
 * was published). Refuses a move the table does not allow, and a sunset that is not after the
 * deprecation. Keeps the platform's stamps; ignores any the caller sent.
 */
export function nextLifecycle(
  before: ApiLifecycle | undefined,
  asked: Pick<ApiLifecycle, 'status' | 'sunsetAt' | 'link'> | undefined,
  isNew: boolean,
  now: Date,
): ApiLifecycle {
  const from: LifecycleState | undefined = isNew ? undefined : (before?.status ?? 'published');
  const to = asked?.status ?? from ?? 'published';
  if (from === undefined && to !== 'draft' && to !== 'published')
    throw invalid('/lifecycle/status', `a new API starts as draft or published, not ${to}`);
  if (from !== undefined && !NEXT[from].includes(to))
    throw invalid('/lifecycle/status', `cannot move from ${from} to ${to}`);
  const at = now.toISOString();
  const next: ApiLifecycle = { status: to };
  if (to === 'deprecated' || to === 'retired')
    next.deprecatedAt = from === 'deprecated' || from === 'retired' ? (before?.deprecatedAt ?? at) : at;
  if (to === 'retired') next.retiredAt = from === 'retired' ? (before?.retiredAt ?? at) : at;
  if (asked?.sunsetAt !== undefined) {
    if (to !== 'deprecated' && to !== 'retired')
      throw invalid('/lifecycle/sunsetAt', 'is only for a deprecated API');
    if (next.deprecatedAt && Date.parse(asked.sunsetAt) <= Date.parse(next.deprecatedAt))
      throw invalid('/lifecycle/sunsetAt', 'must be after the deprecation');
    next.sunsetAt = new Date(asked.sunsetAt).toISOString();
  }
  if (asked?.link !== undefined) next.link = asked.link;
  return next;
}

/** The headers every answer of a deprecated API carries. */
export function deprecationHeaders(lifecycle: ApiLifecycle | undefined): Record<string, string> {
  if (lifecycle?.status !== 'deprecated' || !lifecycle.deprecatedAt) return {};
  return {
    deprecation: `@${Math.floor(Date.parse(lifecycle.deprecatedAt) / 1000)}`,
    ...(lifecycle.sunsetAt ? { sunset: new Date(lifecycle.sunsetAt).toUTCString() } : {}),
    ...(lifecycle.link ? { link: `<${lifecycle.link}>; rel="deprecation"; type="text/html"` } : {}),
  };
}
