/** Loopback may be reached over plain HTTP where the platform allows it (locally); anything else over HTTPS. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why a webhook URL would be refused, as the platform checks it before its egress policy
 * (shared/messages/create-subscription.ts); undefined when it may be sent.
 */
export function webhookUrlProblem(raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') return 'Enter the URL your endpoint receives deliveries at.';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter a full URL, like https://example.com/webhooks.';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)))
    return 'Use an https:// URL.';
  if (url.hash !== '') return 'Leave out the #fragment.';
  if (value.length > 2000) return 'Use a URL of at most 2,000 characters.';
  return undefined;
}
