import type { ApiDefinition } from './api-definition.ts';
import { BREAKER_EVENT_SOURCE, type GatewayEventEntry } from './circuit-breaker/events.ts';

/** Where the gateway reports, on the bus, an app calling a deprecated API. */
export const DEPRECATED_CALL_DETAIL_TYPE = 'Deprecated API Called';

/** The detail of a `Deprecated API Called` event: one app called one deprecated API. */
export interface DeprecatedCallDetail {
  api: string;
  version: string;
  appId: string;
  deprecatedAt: string;
  sunsetAt?: string;
  link?: string;
  /** When this gateway instance first saw the app call it since the deprecation. */
  at: string;
}

/** The gateway instance's memory of whom it has reported: an app is reported once per deprecation. */
export class DeprecatedCallSightings {
  private readonly seen = new Set<string>();

  constructor(
    private readonly report: (entry: GatewayEventEntry) => void,
    private readonly maxRemembered = 10_000,
    private readonly busName = 'portico',
  ) {}

  /** A call of `appId` to `api` went through; reported when the API is deprecated and the app is new to it. */
  called(api: ApiDefinition, appId: string, at: number): void {
    const lifecycle = api.lifecycle;
    if (lifecycle?.status !== 'deprecated' || !lifecycle.deprecatedAt) return;
    const key = `${api.name}\n${lifecycle.deprecatedAt}\n${appId}`;
    if (this.seen.has(key)) return;
    // Forgetting everyone reports each app once more: the message id makes that repeat a no-op.
    if (this.seen.size >= this.maxRemembered) this.seen.clear();
    this.seen.add(key);
    const detail: DeprecatedCallDetail = {
      api: api.name,
      version: api.version,
      appId,
      deprecatedAt: lifecycle.deprecatedAt,
      ...(lifecycle.sunsetAt ? { sunsetAt: lifecycle.sunsetAt } : {}),
      ...(lifecycle.link ? { link: lifecycle.link } : {}),
      at: new Date(at).toISOString(),
    };
    this.report({
      EventBusName: this.busName,
      Source: BREAKER_EVENT_SOURCE,
      DetailType: DEPRECATED_CALL_DETAIL_TYPE,
      Time: new Date(at),
      Detail: JSON.stringify(detail),
    });
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isInstant = (value: unknown): value is string =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value));
const isName = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= 128;

/** The report an event of the bus carries, or nothing: another source or type, or a detail lacking a field. */
export function deprecatedCallOfBusEvent(event: unknown): DeprecatedCallDetail | undefined {
  if (!isRecord(event) || event.source !== BREAKER_EVENT_SOURCE) return undefined;
  if (event['detail-type'] !== DEPRECATED_CALL_DETAIL_TYPE) return undefined;
  const d = event.detail;
  if (!isRecord(d) || !isName(d.api) || !isName(d.version) || !isName(d.appId)) return undefined;
  if (!isInstant(d.deprecatedAt) || !isInstant(d.at)) return undefined;
  if (d.sunsetAt !== undefined && !isInstant(d.sunsetAt)) return undefined;
  if (d.link !== undefined && typeof d.link !== 'string') return undefined;
  return {
    api: d.api,
    version: d.version,
    appId: d.appId,
    deprecatedAt: d.deprecatedAt,
    ...(d.sunsetAt ? { sunsetAt: d.sunsetAt } : {}),
    ...(d.link ? { link: d.link } : {}),
    at: d.at,
  };
}
