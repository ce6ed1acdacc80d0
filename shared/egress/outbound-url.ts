import { DomainError } from '../kernel/errors.ts';
import type { EgressGuard } from './guard.ts';

/** Loopback may be reached over plain HTTP where the egress policy allows it (locally); anything else over HTTPS. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const invalid = (pointer: string, message: string): never => {
  throw new DomainError('validation-failed', `${pointer.slice(1)} ${message}.`, {
    errors: [{ pointer, message }],
  });
};

/**
 * A URL someone hands Portico to call later (a webhook, a partner's notice endpoint or probe): HTTPS
 * (HTTP to loopback only), no fragment, and allowed by the egress policy now — the caller checks it
 * again at send time, when the name may resolve elsewhere. Refusals name `pointer`.
 */
export async function checkOutboundUrl(
  egress: EgressGuard,
  url: string | undefined,
  pointer: string,
): Promise<void> {
  if (url === undefined) return invalid(pointer, 'is required');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return invalid(pointer, 'is not a valid URL');
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname))) {
    invalid(pointer, 'must use https');
  }
  if (parsed.username !== '' || parsed.password !== '') invalid(pointer, 'may not carry credentials');
  if (parsed.hash !== '') invalid(pointer, 'may not carry a fragment');
  const decision = await egress.check(parsed);
  if (!decision.allowed) invalid(pointer, decision.reason);
}
