/**
 * For the provider of an API published on Portico (Node.js 20+, no dependencies: copy this file into
 * your service). When handling a call the gateway forwarded goes wrong, report the exception against
 * that call: it appears in the call's tree in Portico's console (`GET /console/v1/traces/{traceId}`).
 * Authenticate with the provider key an operator created for your API
 * (`POST /console/v1/apis/{apiName}/provider-keys`); it can report against your API's calls only.
 *
 *   const reporter = new ProviderErrorReporter({ baseUrl, keyId, secret });
 *   try { ... } catch (error) {
 *     await reporter.report(req.headers.traceparent, { message: String(error), code: 'DB_DOWN' });
 *   }
 */

/** A call's place in its trace, from the `traceparent` header the gateway sent with it. */
export interface CallSpan {
  traceId: string;
  spanId: string;
}

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

/** The span of the call carrying `traceparent`, or undefined when the header is absent or malformed. */
export function callSpanOf(traceparent: string | string[] | undefined): CallSpan | undefined {
  const value = Array.isArray(traceparent) ? traceparent[0] : traceparent;
  const match = TRACEPARENT.exec(value?.trim().toLowerCase() ?? '');
  return match ? { traceId: match[1]!, spanId: match[2]! } : undefined;
}

export interface ErrorDetails {
  message: string;
  /** Your own error code. */
  code?: string;
  /** A stack trace or context (8,000 characters at most; credential-shaped values are redacted). */
  detail?: string;
  occurredAt?: Date;
}

export interface ProviderErrorReporterOptions {
  /** The platform's base URL. */
  baseUrl: string;
  keyId: string;
  secret: string;
  /** Milliseconds a report may take (default 2,000): reporting must never hold up your answer long. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class ProviderErrorReportError extends Error {
  override name = 'ProviderErrorReportError';

  constructor(
    readonly status: number,
    readonly problem: unknown,
  ) {
    super(`Portico refused the error report: ${status}`);
  }
}

export class ProviderErrorReporter {
  private readonly authorization: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ProviderErrorReporterOptions) {
    this.authorization = `Basic ${Buffer.from(`${options.keyId}:${options.secret}`).toString('base64')}`;
    this.fetch = options.fetch ?? fetch;
  }

  /**
   * Reports `error` against the call that carried `traceparent`. Resolves to the stored report, or to
   * undefined when the call carried no trace (nothing to report against). Rejects with
   * `ProviderErrorReportError` when Portico refuses it (a wrong key: 401; a malformed report: 400).
   */
  async report(traceparent: string | string[] | undefined, error: ErrorDetails): Promise<unknown> {
    const span = callSpanOf(traceparent);
    if (!span) return undefined;
    const response = await this.fetch(
      `${this.options.baseUrl.replace(/\/+$/, '')}/v1/traces/${span.traceId}/errors`,
      {
        method: 'POST',
        headers: { authorization: this.authorization, 'content-type': 'application/json' },
        body: JSON.stringify({
          spanId: span.spanId,
          message: error.message.slice(0, 1_000),
          ...(error.code ? { code: error.code } : {}),
          ...(error.detail ? { detail: error.detail.slice(0, 8_000) } : {}),
          ...(error.occurredAt ? { occurredAt: error.occurredAt.toISOString() } : {}),
        }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 2_000),
      },
    );
    const body = await response.json().catch(() => undefined);
    if (response.status !== 201) throw new ProviderErrorReportError(response.status, body);
    return body;
  }
}
